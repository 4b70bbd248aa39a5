## admin: zh-Hans

## cases: zh-Hans

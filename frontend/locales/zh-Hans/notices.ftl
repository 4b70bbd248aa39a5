# Notices. Staff notices say only urgency and a sign-in link; the requester's news says only
# that there is something new: no name of the service, nothing about the request.

notice-subject-urgent = Shelter：紧急，有事需要您
notice-subject = Shelter：有事需要您
notice-opening-urgent = Shelter 中有紧急的事需要您。
notice-opening = Shelter 中有事需要您。
notice-digest-subject = Shelter：有 { $count } 件事需要您
notice-digest-opening = Shelter 中有 { $count } 件事需要您。
notice-sign-in = 请登录查看：{ $link }
notice-says-nothing = 本消息有意不提供更多内容。
news-subject = 您好
news-text = 您好，有新的消息给您。

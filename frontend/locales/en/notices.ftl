# Notices. Staff notices say only urgency and a sign-in link; the requester's news says only
# that there is something new: no name of the service, nothing about the request.

notice-subject-urgent = Shelter: urgent, something needs you
notice-subject = Shelter: something needs you
notice-opening-urgent = Something urgent in Shelter needs you.
notice-opening = Something in Shelter needs you.
notice-digest-subject = Shelter: { $count } things need you
notice-digest-opening = { $count } things in Shelter need you.
notice-sign-in = Sign in to see it: { $link }
notice-says-nothing = This message says nothing more on purpose.
news-subject = Hello
news-text = Hello, there is something new for you.

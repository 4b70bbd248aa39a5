# Notices. Staff notices say only urgency and a sign-in link; the requester's news says only
# that there is something new: no name of the service, nothing about the request.

notice-subject-urgent = Shelter: បន្ទាន់ មានរឿងត្រូវការអ្នក
notice-subject = Shelter: មានរឿងត្រូវការអ្នក
notice-opening-urgent = មានរឿងបន្ទាន់មួយនៅក្នុង Shelter ត្រូវការអ្នក។
notice-opening = មានរឿងមួយនៅក្នុង Shelter ត្រូវការអ្នក។
notice-digest-subject = Shelter: មាន { $count } រឿងត្រូវការអ្នក
notice-digest-opening = មាន { $count } រឿងនៅក្នុង Shelter ត្រូវការអ្នក។
notice-sign-in = ចូលដើម្បីមើល៖ { $link }
notice-says-nothing = សារនេះមិននិយាយអ្វីបន្ថែមទៀតដោយចេតនា។
news-subject = សួស្តី
news-text = សួស្តី មានអ្វីថ្មីសម្រាប់អ្នក។

# The page a voucher opens from their link, and the notice that carries the link.
# A voucher is a trusted member of the network or a partner, not the requester. Nothing
# here may name the service, the case or the person asked about.

vouch-title = សំណួរមួយសម្រាប់អ្នក
vouch-intro = មនុស្សម្នាក់ដែលអ្នកស្គាល់តាមរយៈបណ្ដាញរបស់យើង សូមសួរអ្នកនូវសំណួរខាងក្រោម។ មានតែអ្នកប៉ុណ្ណោះដែលបានទទួលតំណនេះ។ ចម្លើយរបស់អ្នកនឹងទៅដល់តែក្រុមតូចដែលដោះស្រាយសំណើនេះប៉ុណ្ណោះ។
vouch-question-label = សំណួរ
vouch-answer-legend = ចម្លើយរបស់អ្នក
vouch-answer-confirm = ត្រូវហើយ ខ្ញុំសូមបញ្ជាក់
vouch-answer-cannot = ខ្ញុំមិនអាចបញ្ជាក់បានទេ
vouch-answer-concerned = ខ្ញុំមានការព្រួយបារម្ភ
vouch-comment = មតិ (មិនចាំបាច់)
vouch-comment-hint = មានតែក្រុមតូចដែលដោះស្រាយសំណើនេះប៉ុណ្ណោះនឹងអានវា។ សូមកុំសរសេរអ្វីដែលអ្នកមិនចង់ឱ្យគេអាន ប្រសិនបើទូរស័ព្ទនេះត្រូវគេរឹបអូស។
vouch-submit = ផ្ញើចម្លើយរបស់ខ្ញុំ
vouch-expires = តំណនេះប្រើបានតែម្ដងគត់ រហូតដល់ { $expires }។
vouch-thanks-title = សូមអរគុណ
vouch-thanks = ចម្លើយរបស់អ្នកត្រូវបានផ្ញើហើយ។ តំណនេះលែងប្រើបានទៀតហើយ។ អ្នកអាចបិទទំព័រនេះបាន។
vouch-answered = សំណួរនេះត្រូវបានឆ្លើយរួចហើយតាមរយៈតំណនេះ។ តំណនីមួយៗប្រើបានតែម្ដងគត់។
vouch-closed = សំណួរនេះត្រូវបានបិទហើយ៖ ផុតពេលកំណត់ហើយ ឬលែងត្រូវការទៀតហើយ។
vouch-unknown = តំណនេះមិនដំណើរការទេ។ សូមពិនិត្យមើលថា អ្នកបានបើកតំណទាំងមូល។
vouch-error-answer = សូមជ្រើសរើសចម្លើយមួយ។
vouch-error-comment = មតិវែងពេក (មិនលើសពី { $max } តួអក្សរ)។
vouch-too-many = មានការព្យាយាមច្រើនដងពេកពីការតភ្ជាប់នេះ។ សូមរង់ចាំប៉ុន្មាននាទី ហើយព្យាយាមម្ដងទៀត។
vouch-notice-subject = សំណួរមួយសម្រាប់អ្នក
vouch-notice-opening = មនុស្សម្នាក់ដែលអ្នកស្គាល់តាមរយៈបណ្ដាញរបស់យើង មានសំណួរមួយសួរអ្នក។ សូមបើកតំណនេះដើម្បីអាន និងឆ្លើយ៖
vouch-notice-expires = តំណនេះប្រើបានតែម្ដងគត់ រហូតដល់ { $expires }។
vouch-notice-ignore = ប្រសិនបើអ្នកមិនបានរំពឹងថានឹងទទួលសារនេះទេ អ្នកអាចមិនអើពើនឹងវាបាន។

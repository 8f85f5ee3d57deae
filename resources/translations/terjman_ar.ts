<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar_MA">
<context>
    <name>AlternativesBox</name>
    <message>
        <location filename="../../terjman_desktop/gui/alternatives.py" line="+43"/>
        <source>Other tra&amp;nslations of the selected sentence:</source>
        <translation>ترجمات أخرى للجملة المختارة:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other translations</source>
        <translation>ترجمات أخرى</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose one to replace the selected sentence of the translation.</source>
        <translation>اختر واحدة لتعويض الجملة المختارة في الترجمة.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Looking for other translations…</source>
        <translation>جارٍ البحث عن ترجمات أخرى…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No other translation was found for this sentence.</source>
        <translation>لم يتم العثور على ترجمة أخرى لهذه الجملة.</translation>
    </message>
</context>
<context>
    <name>DirectionIndicator</name>
    <message>
        <location filename="../../terjman_desktop/gui/direction_indicator.py" line="+105"/>
        <source>English</source>
        <translation>الإنجليزية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Darija (Arabic script)</source>
        <translation>الدارجة (بالحروف العربية)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Darija in Latin letters (Arabizi)</source>
        <translation>الدارجة بالحروف اللاتينية (عربيزي)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Detects the language as you type</source>
        <translation>يتعرف على اللغة أثناء الكتابة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read as: {kind}</source>
        <translation>يُقرأ كـ: {kind}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Detected: {kind}</source>
        <translation>تم التعرف على: {kind}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Detect automatically</source>
        <translation>التعرف تلقائيًا</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick the direction from the text again</source>
        <translation>اختيار الاتجاه من النص من جديد</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not right? Read as {kind}</source>
        <translation>ليس صحيحًا؟ اقرأه كـ {kind}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Translate this text as {kind}</source>
        <translation>ترجمة هذا النص كـ {kind}</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <location filename="../../terjman_desktop/gui/document_dialog.py" line="+65"/>
        <source>Translate a document</source>
        <translation>ترجمة مستند</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>File to translate</source>
        <translation>الملف المراد ترجمته</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse…</source>
        <translation>تصفح…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Column to translate</source>
        <translation>العمود المراد ترجمته</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Column:</source>
        <translation>العمود:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Where the translation goes</source>
        <translation>أين توضع الترجمة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In a new column beside the source</source>
        <translation>في عمود جديد بجانب الأصل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In place of the source</source>
        <translation>مكان الأصل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Translation:</source>
        <translation>ال&amp;ترجمة:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bilingual copy</source>
        <translation>نسخة ثنائية اللغة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translation only</source>
        <translation>الترجمة فقط</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source, then its translation (interleaved)</source>
        <translation>الأصل ثم ترجمته (بالتناوب)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source and translation side by side</source>
        <translation>الأصل والترجمة جنبًا إلى جنب</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For &amp;learners:</source>
        <translation>لل&amp;متعلمين:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encoding of the translation</source>
        <translation>ترميز الترجمة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>UTF-8</source>
        <translation>UTF-8</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The same as the file&apos;s</source>
        <translation>نفس ترميز الملف</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Encoding:</source>
        <translation>ال&amp;ترميز:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Translated file</source>
        <translation>الملف المترجم</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;hange…</source>
        <translation>تغيير…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{model}, {direction}</source>
        <translation>{model}، {direction}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No model installed for {direction}.</source>
        <translation>لا يوجد نموذج مثبت لـ {direction}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Progress</source>
        <translation>التقدم</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time left</source>
        <translation>الوقت المتبقي</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Translate</source>
        <translation>ترجم</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open the folder</source>
        <translation>فتح المجلد</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;File:</source>
        <translation>الملف:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Save as:</source>
        <translation>حفظ باسم:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Model:</source>
        <translation>النموذج:</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Choose a document</source>
        <translation>اختر مستندًا</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Documents ({patterns});;All files (*)</source>
        <translation>المستندات ({patterns});;كل الملفات (*)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>All text cells</source>
        <translation>كل خلايا النص</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Only the text of a PDF is translated, into a Word document (or a .txt file if you save it as .txt): the PDF&apos;s layout — columns, fonts, pictures — is not kept.</source>
        <translation>يُترجم نص ملف PDF فقط، إلى مستند Word (أو ملف ‎.txt إذا حفظته بامتداد ‎.txt): لا يُحتفظ بتنسيق PDF — الأعمدة والخطوط والصور.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Save the translation as</source>
        <translation>حفظ الترجمة باسم</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No model</source>
        <translation>لا يوجد نموذج</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No installed model translates {direction}. Open Models → Manage models to install one.</source>
        <translation>لا يوجد نموذج مثبت يترجم {direction}. افتح النماذج ← إدارة النماذج لتثبيت واحد.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No file</source>
        <translation>لا يوجد ملف</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a file to translate: {extensions}.</source>
        <translation>اختر ملفًا لترجمته: {extensions}.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Loading the model…</source>
        <translation>جارٍ تحميل النموذج…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Replace the file?</source>
        <translation>استبدال الملف؟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} already exists. Replace it?</source>
        <translation>{path} موجود مسبقًا. هل تريد استبداله؟</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{done} of {total} parts translated, {eta}</source>
        <translation>تُرجم {done} من {total} جزءًا، {eta}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Done: saved to {path}</source>
        <translation>تم: حُفظ في {path}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The file is not UTF-8: it was read as {encoding} (detected). If the text looks wrong, save it as UTF-8 and translate it again.</source>
        <translation>الملف ليس بترميز UTF-8: قُرئ كـ {encoding} (تم اكتشافه). إذا بدا النص خاطئًا، احفظه بترميز UTF-8 وترجمه من جديد.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Read as {read}; written as {written}.</source>
        <translation>قُرئ كـ {read}؛ وكُتب كـ {written}.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not translated: {parts}.</source>
        <translation>لم يُترجم: {parts}.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cancelled.</source>
        <translation>أُلغي.</translation>
    </message>
</context>
<context>
    <name>HelpPage</name>
    <message>
        <location filename="../../terjman_desktop/gui/help_page.py" line="+51"/>
        <source>Translate now, at the chosen quality</source>
        <translation>الترجمة الآن بالجودة المختارة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On a sentence of the translation: its other translations</source>
        <translation>على جملة من الترجمة: ترجماتها الأخرى</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other translations of the sentence at the caret</source>
        <translation>ترجمات أخرى للجملة عند المؤشر</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correct the translation yourself (Enter saves it)</source>
        <translation>صحّح الترجمة بنفسك (Enter يحفظها)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close the other translations, cancel a correction, or leave classroom mode</source>
        <translation>إغلاق الترجمات الأخرى أو إلغاء تصحيح أو الخروج من وضع القسم</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move between the panes and the buttons</source>
        <translation>التنقل بين الألواح والأزرار</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In the history: delete the selected entry</source>
        <translation>في السجل: حذف المدخل المحدد</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Terjman help</source>
        <translation>مساعدة ترجمان</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type English, Darija in Arabic script, or Darija in Latin letters (Arabizi, such as “wach nta mzyan?”): the direction picks itself, and the line above the text says what it took your text for. One click on the button beside it reads the text the other way.</source>
        <translation>اكتب بالإنجليزية أو بالدارجة بالحروف العربية أو بالدارجة بالحروف اللاتينية (عربيزي، مثل «wach nta mzyan?»): يُختار الاتجاه تلقائيًا، ويقول السطر فوق النص كيف فُهم نصك. نقرة واحدة على الزر بجانبه تقرأ النص بالطريقة الأخرى.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Arabizi is shown in Arabic script under your text: that is what is translated. Correct it there if a word came out wrong.</source>
        <translation>يظهر العربيزي بالحروف العربية تحت نصك: هذا ما يُترجم. صحّحه هناك إذا كُتبت كلمة خطأً.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Click a sentence of the translation to see other translations; pick one to use it.</source>
        <translation>انقر على جملة من الترجمة لرؤية ترجمات أخرى؛ واختر واحدة لاستعمالها.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>★ saves the sentence you selected (or clicked) to the phrasebook, or the whole text when nothing is selected.</source>
        <translation>★ يحفظ الجملة التي حددتها (أو نقرت عليها) في دفتر العبارات، أو النص كله إذا لم يُحدد شيء.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✎ Correct (F2) lets you fix the translation; your version goes to the history and the phrasebook marked as your own.</source>
        <translation>✎ تصحيح (F2) يتيح لك إصلاح الترجمة؛ وتذهب نسختك إلى السجل ودفتر العبارات معلَّمة كترجمتك.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export the phrasebook for Anki: each phrase gives two cards, English → Darija and Darija → English, with the Darija in Latin letters.</source>
        <translation>صدّر دفتر العبارات لـ Anki: كل عبارة تعطي بطاقتين، الإنجليزية ← الدارجة والدارجة ← الإنجليزية، مع الدارجة بالحروف اللاتينية.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>What you can do</source>
        <translation>ما يمكنك فعله</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keyboard shortcuts</source>
        <translation>اختصارات لوحة المفاتيح</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Help and keyboard shortcuts</source>
        <translation>المساعدة واختصارات لوحة المفاتيح</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../terjman_desktop/gui/history_panel.py" line="+188"/>
        <source>Phrase&amp;book</source>
        <translation>الدفتر</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the history…</source>
        <translation>ابحث في السجل…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the history</source>
        <translation>البحث في السجل</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+4"/>
        <source>History</source>
        <translation>السجل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keep a history</source>
        <translation>الاحتفاظ بالسجل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Use</source>
        <translation>استعمال</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save to phrasebook</source>
        <translation>حفظ في الدفتر</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>★ Sta&amp;r</source>
        <translation>★ تمييز</translation>
    </message>
    <message>
        <location line="-126"/>
        <source>✎ your own translation</source>
        <translation>✎ ترجمتك الخاصة</translation>
    </message>
    <message>
        <location line="+128"/>
        <source>Delete</source>
        <translation>حذف</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the selected entry (Delete key)</source>
        <translation>حذف العنصر المختار (مفتاح Delete)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear histor&amp;y…</source>
        <translation>مسح السجل…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the phrasebook…</source>
        <translation>ابحث في الدفتر…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the phrasebook</source>
        <translation>البحث في الدفتر</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Remove</source>
        <translation>إزالة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export C&amp;SV…</source>
        <translation>تصدير CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export for &amp;Anki…</source>
        <translation>تصدير لـ Anki…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import CSV…</source>
        <translation>استيراد CSV…</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Clear the history</source>
        <translation>مسح السجل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete every translation kept in the history? The phrasebook is kept.</source>
        <translation>حذف كل الترجمات المحفوظة في السجل؟ يبقى الدفتر كما هو.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export the phrasebook</source>
        <translation>تصدير الدفتر</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>ملفات CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export the phrasebook for Anki</source>
        <translation>تصدير الدفتر لـ Anki</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anki decks (*.apkg)</source>
        <translation>رزم Anki (*.apkg)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{count} phrases were exported to {path}.</source>
        <translation>صُدِّرت {count} عبارة إلى {path}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import phrases</source>
        <translation>استيراد عبارات</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>ملفات CSV (*.csv);;كل الملفات (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{added} phrases imported, {skipped} already in the phrasebook.</source>
        <translation>استُوردت {added} عبارة، و{skipped} موجودة مسبقًا في الدفتر.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lines not imported:</source>
        <translation>أسطر لم تُستورد:</translation>
    </message>
    <message>
        <location line="-122"/>
        <location line="+129"/>
        <source>Phrasebook</source>
        <translation>دفتر العبارات</translation>
    </message>
</context>
<context>
    <name>MainActions</name>
    <message>
        <location filename="../../terjman_desktop/gui/main_actions.py" line="+135"/>
        <source>&amp;File</source>
        <translation>ملف (&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit</source>
        <translation>تحرير (&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;View</source>
        <translation>عرض (&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mode&amp;ls</source>
        <translation>النماذج (&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>مساعدة (&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate a &amp;document…</source>
        <translation>ترجمة مستند…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Share with the classroom…</source>
        <translation>&amp;مشاركة مع القسم…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>خروج</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Translate now</source>
        <translation>ترجم الآن</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;wap languages</source>
        <translation>تبديل اللغتين</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copy the translation</source>
        <translation>نسخ الترجمة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save to the phrasebook</source>
        <translation>حفظ في الدفتر</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other translations of the &amp;sentence</source>
        <translation>ترجمات أخرى للجملة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Preferences…</source>
        <translation>التفضيلات…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Bigger text</source>
        <translation>نص أكبر</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;maller text</source>
        <translation>نص أصغر</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Normal text size</source>
        <translation>حجم النص العادي</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Classroom mode</source>
        <translation>وضع القسم</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full screen, very large text (F11 or Esc to leave)</source>
        <translation>ملء الشاشة ونص كبير جدًا (F11 أو Esc للخروج)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;History and phrasebook</source>
        <translation>السجل والدفتر</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Manage models…</source>
        <translation>إدارة النماذج…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import a model package file…</source>
        <translation>استيراد ملف نموذج…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a model &amp;folder…</source>
        <translation>استيراد مجلد نموذج…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help and keyboard shortcuts</source>
        <translation>ال&amp;مساعدة واختصارات لوحة المفاتيح</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the &amp;log folder</source>
        <translation>فتح مجلد السجلات التقنية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Terjman</source>
        <translation>حول ترجمان</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>About Terjman</source>
        <translation>حول ترجمان</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Terjman Desktop {version}

Offline English ⇄ Moroccan Darija translation with the Terjman models by AtlasIA (cc-by-nc-4.0: non-commercial use).

Log files: {logs}</source>
        <translation>ترجمان لسطح المكتب {version}

ترجمة بين الإنجليزية والدارجة المغربية دون اتصال بالإنترنت، بنماذج ترجمان من AtlasIA ‏(cc-by-nc-4.0: للاستعمال غير التجاري).

السجلات التقنية: {logs}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../terjman_desktop/gui/main_window.py" line="+113"/>
        <source>Terjman — English ⇄ Darija</source>
        <translation>ترجمان — الإنجليزية ⇄ الدارجة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History and phrasebook</source>
        <translation>السجل والدفتر</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/installed_models.py" line="+110"/>
        <source>{name} is no longer installed; now translating with {other}.</source>
        <translation>لم يعد {name} مثبتًا؛ الترجمة الآن باستخدام {other}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name} is no longer installed.</source>
        <translation>لم يعد {name} مثبتًا.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} is now installed.</source>
        <translation>تم تثبيت {name}.</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/main_window.py" line="+181"/>
        <source>Saved to the phrasebook.</source>
        <translation>حُفظ في الدفتر.</translation>
    </message>
</context>
<context>
    <name>ModelManagerDialog</name>
    <message>
        <location filename="../../terjman_desktop/gui/model_manager_view.py" line="+108"/>
        <source>Models</source>
        <translation>النماذج</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Pause</source>
        <translation>إيقاف مؤقت</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>&amp;Install</source>
        <translation>تثبيت</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Resume</source>
        <translation>استئناف</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>De&amp;lete</source>
        <translation>حذف</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Rep&amp;air…</source>
        <translation>إصلاح…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Verify</source>
        <translation>تحقق</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export for sharing…</source>
        <translation>تصدير للمشاركة…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Speed up (learn the vocabulary map)</source>
        <translation>تسريع بتعلّم خريطة المفردات (&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a &amp;file…</source>
        <translation>استيراد ملف…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a f&amp;older…</source>
        <translation>استيراد مجلد…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;fresh the catalog</source>
        <translation>تحديث الفهرس</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Model details</source>
        <translation>تفاصيل النموذج</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Refreshing the catalog…</source>
        <translation>جارٍ تحديث الكتالوج…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No catalog address is set in the Preferences, so nothing was fetched: the catalog shown ({count} models) is the one this computer already has.</source>
        <translation>لم يُحدَّد عنوان للكتالوج في التفضيلات، لذلك لم يُجلب شيء: الكتالوج المعروض ({count} نماذج) هو الموجود على هذا الحاسوب.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The catalog could not be refreshed (are you offline?): {problem} The last catalog this computer received is shown ({count} models). {hint}</source>
        <translation>تعذّر تحديث الكتالوج (هل أنت غير متصل؟): {problem} يُعرض آخر كتالوج تلقّاه هذا الحاسوب ({count} نماذج). {hint}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The catalog was refreshed: {count} models.</source>
        <translation>تم تحديث الكتالوج: {count} نماذج.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Waiting for another Terjman to finish with this model…</source>
        <translation>في انتظار أن ينتهي Terjman آخر من هذا النموذج…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleting…</source>
        <translation>جارٍ الحذف…</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Base model: {base}</source>
        <translation>النموذج الأساسي: {base}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>License: {license}. {attribution}</source>
        <translation>الترخيص: {license}. {attribution}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gated: installing it needs a Hugging Face access token, after you accept its conditions on its Hugging Face page.</source>
        <translation>وصول مقيد: يتطلب تثبيته رمز وصول من Hugging Face، بعد قبول شروطه في صفحته على Hugging Face.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gated: your Hugging Face token is used.</source>
        <translation>وصول مقيد: يُستعمل رمز Hugging Face الخاص بك.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Installed in {path}</source>
        <translation>مثبت في {path}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The catalog has {what}: Install replaces this copy.</source>
        <translation>يتضمن الفهرس {what}: التثبيت يستبدل هذه النسخة.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>version {version}</source>
        <translation>الإصدار {version}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>corrected files for this version</source>
        <translation>ملفات مصححة لهذا الإصدار</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An update is available: {name} {version}. Select it in the list and install it; this model stays until you delete it.</source>
        <translation>يتوفر تحديث: {name} {version}. اختره من القائمة وثبّته؛ يبقى هذا النموذج إلى أن تحذفه.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>It has no vocabulary map yet: Speed up learns one on this computer from its training sentences, so it translates faster with the same results.</source>
        <translation>ليست له خريطة مفردات بعد: «تسريع» يتعلّم واحدة على هذا الحاسوب من جمل تدريبه، فيترجم أسرع بالنتائج نفسها.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What is wrong:</source>
        <translation>ما الخلل:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Repair installs it again from the catalog.</source>
        <translation>الإصلاح يعيد تثبيته من الفهرس.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Repair imports it again from a model package file.</source>
        <translation>الإصلاح يعيد استيراده من ملف حزمة نموذج.</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/model_manager.py" line="+194"/>
        <source>Delete a model</source>
        <translation>حذف نموذج</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete {name} from this computer? You can install it again later.</source>
        <translation>حذف {name} من هذا الحاسوب؟ يمكنك تثبيته مرة أخرى لاحقًا.</translation>
    </message>
    <message>
        <location line="+40"/>
        <location line="+5"/>
        <source>Verify</source>
        <translation>التحقق</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>All files of {name} are intact.</source>
        <translation>كل ملفات {name} سليمة.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{name} is damaged:
{problems}

Repair it or delete it.</source>
        <translation>{name} تالف:
{problems}

أصلحه أو احذفه.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export a model for sharing</source>
        <translation>تصدير نموذج للمشاركة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model packages (*.zip)</source>
        <translation>حزم النماذج (*.zip)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export</source>
        <translation>تصدير</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} was saved to {path}. Copy it to a USB stick and use Models → Import on another computer.</source>
        <translation>حُفظ {name} في {path}. انسخه إلى مفتاح USB واستعمل النماذج ← استيراد على حاسوب آخر.</translation>
    </message>
</context>
<context>
    <name>PanelWidgets</name>
    <message>
        <location filename="../../terjman_desktop/gui/panel_widgets.py" line="+178"/>
        <source>&amp;Direction:</source>
        <translation>الاتجاه:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translation direction</source>
        <translation>اتجاه الترجمة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⇄ S&amp;wap</source>
        <translation>⇄ تبديل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Swap the languages and the two texts</source>
        <translation>تبديل اللغتين والنصين</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Swap languages</source>
        <translation>تبديل اللغتين</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Model:</source>
        <translation>النموذج:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translation model</source>
        <translation>نموذج الترجمة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Get a model…</source>
        <translation>الحصول على نموذج…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Get a model</source>
        <translation>الحصول على نموذج</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translating</source>
        <translation>جارٍ الترجمة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text to translate</source>
        <translation>النص المراد ترجمته</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type or paste text here…</source>
        <translation>اكتب النص أو ألصقه هنا…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Translate</source>
        <translation>ترجم</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate now (Ctrl+Enter)</source>
        <translation>ترجم الآن (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate</source>
        <translation>ترجم</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copy text</source>
        <translation>نسخ النص</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the text to translate</source>
        <translation>نسخ النص المراد ترجمته</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translation</source>
        <translation>الترجمة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Click a sentence, or press Enter on it, to see other translations.</source>
        <translation>انقر على جملة، أو اضغط Enter عليها، لترى ترجمات أخرى.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The translation appears here.</source>
        <translation>تظهر الترجمة هنا.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Darija in Latin letters</source>
        <translation>الدارجة بالحروف اللاتينية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading aid: the Darija in Latin letters (Arabizi)</source>
        <translation>مساعدة على القراءة: الدارجة بالحروف اللاتينية (العربيزي)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;opy translation</source>
        <translation>نسخ الترجمة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the translation</source>
        <translation>نسخ الترجمة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>★ Save to &amp;phrasebook</source>
        <translation>★ حفظ في الدفتر</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save to phrasebook</source>
        <translation>حفظ في الدفتر</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the selected sentences, or the sentence whose other translations are shown, to the phrasebook; the whole text when none is (Ctrl+S)</source>
        <translation>حفظ الجمل المحددة، أو الجملة المعروضة ترجماتها الأخرى، في دفتر العبارات؛ والنص كله إن لم يُحدد شيء (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✎ Co&amp;rrect</source>
        <translation>✎ ت&amp;صحيح</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correct the translation</source>
        <translation>تصحيح الترجمة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit the translation yourself; your correction goes to the history and the phrasebook as your own (F2)</source>
        <translation>عدّل الترجمة بنفسك؛ يذهب تصحيحك إلى السجل ودفتر العبارات كترجمتك (F2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Correcting: edit the translation, then press Enter or ✎ Correct again to save it as your own; Escape cancels.</source>
        <translation>تصحيح: عدّل الترجمة ثم اضغط Enter أو ✎ تصحيح مرة أخرى لحفظها كترجمتك؛ Escape يلغي.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>In Arabic script, as it is translated (correct it if needed):</source>
        <translation>بالحروف العربية كما يُترجم (صحّحه إذا لزم):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The Darija in Arabic script</source>
        <translation>الدارجة بالحروف العربية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exit classroom mode (F11 / Esc)</source>
        <translation>الخروج من وضع القسم (F11 / Esc)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exit classroom mode</source>
        <translation>الخروج من وضع القسم</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../terjman_desktop/gui/settings_dialog.py" line="+41"/>
        <source>Preferences</source>
        <translation>التفضيلات</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+4"/>
        <source>Like the system</source>
        <translation>مثل النظام</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Light</source>
        <translation>فاتح</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dark</source>
        <translation>داكن</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Use the default font</source>
        <translation>استعمال الخط الافتراضي</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Fast</source>
        <translation>سريعة</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Balanced</source>
        <translation>متوازنة</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Best (slower)</source>
        <translation>الأفضل (أبطأ)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Automatic</source>
        <translation>تلقائي</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate &amp;as I type</source>
        <translation>الترجمة أثناء الكتابة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use the model&apos;s &amp;vocabulary map when it has one (faster)</source>
        <translation>استخدام &amp;خريطة مفردات النموذج إن وُجدت (أسرع)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show Darija in &amp;Latin letters (Arabizi) under translations</source>
        <translation>عرض الدارجة بالحروف اللاتينية (العربيزي) تحت الترجمات</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep a &amp;history of translations</source>
        <translation>الاحتفاظ بسجل للترجمات</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Built-in catalog</source>
        <translation>الفهرس المدمج</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One address per line, tried before the catalog&apos;s</source>
        <translation>عنوان في كل سطر، يُجرَّب قبل عناوين الفهرس</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only for gated models</source>
        <translation>فقط للنماذج ذات الوصول المقيد</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only gated models (such as the Terjman v2.0 models) need one: accept the model&apos;s conditions on its Hugging Face page while signed in, then create a token with the &lt;i&gt;read&lt;/i&gt; permission in &lt;a href=&quot;{tokens}&quot;&gt;your Hugging Face settings&lt;/a&gt; and paste it here. It is sent to Hugging Face only. HF_TOKEN in the environment works too.</source>
        <translation>لا تحتاجه إلا النماذج ذات الوصول المقيد (مثل نماذج Terjman v2.0): اقبل شروط النموذج في صفحته على Hugging Face وأنت مسجّل الدخول، ثم أنشئ رمزًا بصلاحية &lt;i&gt;read&lt;/i&gt; في &lt;a href=&quot;{tokens}&quot;&gt;إعدادات Hugging Face الخاصة بك&lt;/a&gt; والصقه هنا. لا يُرسل إلا إلى Hugging Face. يعمل أيضًا HF_TOKEN في البيئة.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Theme:</source>
        <translation>المظهر:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Interface language:</source>
        <translation>لغة الواجهة:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Font:</source>
        <translation>الخط:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Text si&amp;ze:</source>
        <translation>حجم النص:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classroom text si&amp;ze:</source>
        <translation>حجم النص في القسم:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Default &amp;direction:</source>
        <translation>الاتجاه الافتراضي:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quality:</source>
        <translation>الجودة:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU thr&amp;eads:</source>
        <translation>خيوط المعالج:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Catalog address:</source>
        <translation>عنوان الفهرس:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Mirrors:</source>
        <translation>المرايا:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face &amp;token:</source>
        <translation>رمز Hugging Face:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Appearance</source>
        <translation>المظهر</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Translation</source>
        <translation>الترجمة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models</source>
        <translation>النماذج</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Theme</source>
        <translation>المظهر</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Interface language</source>
        <translation>لغة الواجهة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Font</source>
        <translation>الخط</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Text size</source>
        <translation>حجم النص</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classroom text size</source>
        <translation>حجم النص في القسم</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default direction</source>
        <translation>الاتجاه الافتراضي</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quality</source>
        <translation>الجودة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU threads</source>
        <translation>خيوط المعالج</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Catalog address</source>
        <translation>عنوان الفهرس</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mirrors</source>
        <translation>المرايا</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hugging Face token</source>
        <translation>رمز Hugging Face</translation>
    </message>
</context>
<context>
    <name>SharingDialog</name>
    <message>
        <location filename="../../terjman_desktop/gui/sharing.py" line="+148"/>
        <source>Share with the classroom</source>
        <translation>المشاركة مع القسم</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Share with the classroom</source>
        <translation>&amp;مشاركة مع القسم</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Phones on this computer&apos;s network can translate with the app&apos;s model</source>
        <translation>يمكن للهواتف على شبكة هذا الحاسوب الترجمة بنموذج التطبيق</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Students on the same Wi-Fi scan the code or open the address in a browser. Nothing leaves the classroom: this computer does the translating.</source>
        <translation>يمسح التلاميذ على نفس شبكة Wi-Fi الرمز أو يفتحون العنوان في متصفح. لا يغادر شيء القسم: هذا الحاسوب هو الذي يترجم.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Access key (optional)</source>
        <translation>مفتاح الدخول (اختياري)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Access key</source>
        <translation>مفتاح الدخول</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>QR code of the address</source>
        <translation>رمز QR للعنوان</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Copy the address</source>
        <translation>&amp;نسخ العنوان</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>S&amp;top sharing</source>
        <translation>&amp;إيقاف المشاركة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Serving {model} — {count} translations so far.</source>
        <translation>يخدم {model} — {count} ترجمة حتى الآن.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This computer is on no network, so phones cannot reach it: connect it to the classroom&apos;s Wi-Fi (or a phone&apos;s hotspot), then switch sharing off and on.</source>
        <translation>هذا الحاسوب غير متصل بأي شبكة، لذلك لا تستطيع الهواتف الوصول إليه: صِلْه بشبكة Wi-Fi الخاصة بالقسم (أو بنقطة اتصال هاتف)، ثم أوقف المشاركة وشغّلها من جديد.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Install or choose a model first.</source>
        <translation>ثبّت نموذجًا أو اختر واحدًا أولًا.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Starting…</source>
        <translation>جارٍ البدء…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Sharing is off.</source>
        <translation>المشاركة متوقفة.</translation>
    </message>
</context>
<context>
    <name>TranslatePanel</name>
    <message>
        <location filename="../../terjman_desktop/gui/translate_panel.py" line="+313"/>
        <source>No installed model translates {direction}</source>
        <translation>لا يوجد نموذج مثبت يترجم {direction}</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Install a model to translate.</source>
        <translation>ثبّت نموذجًا لتترجم.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The translation failed.</source>
        <translation>فشلت الترجمة.</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+1"/>
        <source>Translating…</source>
        <translation>جارٍ الترجمة…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Saved to the phrasebook: {count}.</source>
        <translation>حُفظ في دفتر العبارات: {count}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 sentence</source>
        <translation>جملة واحدة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} sentences</source>
        <translation>{n} جمل</translation>
    </message>
    <message>
        <location line="+222"/>
        <source>Keep one line of translation for each line of the text, then save again.</source>
        <translation>اترك سطرًا واحدًا من الترجمة لكل سطر من النص، ثم احفظ من جديد.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Your correction is saved as your own translation.</source>
        <translation>حُفظ تصحيحك كترجمتك الخاصة.</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../../terjman_desktop/gui/welcome_view.py" line="+51"/>
        <source>Welcome to Terjman</source>
        <translation>مرحبًا بك في ترجمان</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Checking the internet connection…</source>
        <translation>جارٍ التحقق من الاتصال بالإنترنت…</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>&lt;h2&gt;Welcome to Terjman&lt;/h2&gt;&lt;p&gt;Terjman translates between English and Moroccan Darija on this computer. It needs a translation model; once one is installed, no internet connection is needed.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;مرحبًا بك في ترجمان&lt;/h2&gt;&lt;p&gt;يترجم ترجمان بين الإنجليزية والدارجة المغربية على هذا الحاسوب. يحتاج إلى نموذج ترجمة؛ وبعد تثبيت نموذج لا حاجة إلى الاتصال بالإنترنت.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>C&amp;hoose another model…</source>
        <translation>اختيار نموذج آخر…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a model &amp;file (USB stick)…</source>
        <translation>استيراد ملف نموذج (مفتاح USB)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a model f&amp;older…</source>
        <translation>استيراد مجلد نموذج…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Later</source>
        <translation>لاحقًا</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection status</source>
        <translation>حالة الاتصال</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Installation status</source>
        <translation>حالة التثبيت</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Installation progress</source>
        <translation>تقدم التثبيت</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Recommended to start</source>
        <translation>موصى به للبدء</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Install</source>
        <translation>تثبيت</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/welcome.py" line="+118"/>
        <source>Newer models, such as {name}, need a Hugging Face account and an access token…</source>
        <translation>النماذج الأحدث، مثل {name}، تتطلب حسابًا على Hugging Face ورمز وصول…</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/welcome_view.py" line="+51"/>
        <source>{name} — {directions}, {hint}</source>
        <translation>{name} — {directions}، {hint}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download: {size}</source>
        <translation>التنزيل: {size}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>on this computer: {size}</source>
        <translation>على هذا الحاسوب: {size}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>memory: {size}</source>
        <translation>الذاكرة: {size}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>License: {license}. {attribution}</source>
        <translation>الترخيص: {license}. {attribution}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It allows non-commercial use only, with credit to the authors.</source>
        <translation>لا يسمح إلا بالاستخدام غير التجاري، مع ذكر المؤلفين.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Installing it means you accept this license.</source>
        <translation>تثبيته يعني قبولك هذا الترخيص.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It is downloaded from Hugging Face and converted on this computer; this takes a few minutes.</source>
        <translation>يُنزَّل من Hugging Face ويُحوَّل على هذا الحاسوب؛ يستغرق ذلك بضع دقائق.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It is downloaded from the catalog&apos;s servers and checked.</source>
        <translation>يُنزَّل من خوادم الفهرس ويُتحقق منه.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Try &amp;again</source>
        <translation>إعادة المحاولة</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Install {name}</source>
        <translation>تثبيت {name}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A model on this computer is damaged and cannot be used: {names}. Choose another model to open the model manager, where you can repair or delete it.</source>
        <translation>يوجد على هذا الحاسوب نموذج تالف لا يمكن استعماله: {names}. اختر نموذجًا آخر لفتح مدير النماذج، حيث يمكنك إصلاحه أو حذفه.</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/welcome.py" line="+25"/>
        <source>This computer seems to be offline. Import a model package from a file, a folder or a USB stick, or connect to the internet and install.</source>
        <translation>يبدو أن هذا الحاسوب غير متصل بالإنترنت. استورد حزمة نموذج من ملف أو مجلد أو مفتاح USB، أو اتصل بالإنترنت ثم ثبّت.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>You are online: install the recommended model, or choose another one.</source>
        <translation>أنت متصل بالإنترنت: ثبّت النموذج الموصى به، أو اختر نموذجًا آخر.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The model catalog offers no model that installs without a Hugging Face account: choose one in the model manager, or import a model package.</source>
        <translation>لا يقدم الفهرس أي نموذج يُثبَّت دون حساب على Hugging Face: اختر نموذجًا في مدير النماذج، أو استورد حزمة نموذج.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Starting…</source>
        <translation>جارٍ البدء…</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>The installation was cancelled; nothing was installed. What was already downloaded is kept, so installing again goes faster.</source>
        <translation>أُلغي التثبيت؛ لم يُثبَّت أي شيء. ما نُزِّل حتى الآن محفوظ، فيكون التثبيت من جديد أسرع.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{name} needs a Hugging Face access token: follow the steps below, then install again.</source>
        <translation>يتطلب {name} رمز وصول من Hugging Face: اتبع الخطوات أدناه، ثم ثبّته من جديد.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The token is saved. Install the model again, or choose a gated model in the model manager.</source>
        <translation>حُفظ الرمز. ثبّت النموذج من جديد، أو اختر نموذجًا ذا وصول مقيد في مدير النماذج.</translation>
    </message>
    <message>
        <location line="-46"/>
        <location line="+60"/>
        <source>{name} is installed. You can start translating.</source>
        <translation>تم تثبيت {name}. يمكنك أن تبدأ الترجمة.</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../terjman_desktop/gui/errors.py" line="+41"/>
        <source>This model is gated</source>
        <translation>هذا النموذج ذو وصول مقيد</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accept the model&apos;s conditions on its Hugging Face page while signed in, then paste an access token (Preferences → Hugging Face token).</source>
        <translation>اقبل شروط النموذج في صفحته على Hugging Face وأنت مسجّل الدخول، ثم الصق رمز وصول (التفضيلات ← رمز Hugging Face).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Hugging Face refused access</source>
        <translation>رفض Hugging Face الوصول</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the access token in Preferences: create a new one with the read permission in your Hugging Face settings if it has expired.</source>
        <translation>تحقق من رمز الوصول في التفضيلات: أنشئ رمزًا جديدًا بصلاحية read في إعدادات Hugging Face إن انتهت صلاحيته.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Model not found on Hugging Face</source>
        <translation>النموذج غير موجود على Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh the catalog; the model may have moved.</source>
        <translation>حدّث الفهرس؛ ربما نُقل النموذج.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model version not found on Hugging Face</source>
        <translation>إصدار النموذج غير موجود على Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh the catalog; this version may have been removed.</source>
        <translation>حدّث الفهرس؛ ربما حُذف هذا الإصدار.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A file of the model is missing on Hugging Face</source>
        <translation>أحد ملفات النموذج مفقود على Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh the catalog, or choose another model.</source>
        <translation>حدّث الفهرس، أو اختر نموذجًا آخر.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model disabled on Hugging Face</source>
        <translation>النموذج معطَّل على Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose another model.</source>
        <translation>اختر نموذجًا آخر.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hugging Face is busy</source>
        <translation>Hugging Face مشغول</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wait a few minutes, then try again.</source>
        <translation>انتظر بضع دقائق ثم أعد المحاولة.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hugging Face cannot be reached</source>
        <translation>تعذّر الوصول إلى Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the internet connection and try again; what was downloaded is kept. Without internet, import a model from a file or a USB stick.</source>
        <translation>تحقق من الاتصال بالإنترنت وأعد المحاولة؛ ما نُزِّل محفوظ. دون إنترنت، استورد نموذجًا من ملف أو مفتاح USB.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Unexpected answer from Hugging Face</source>
        <translation>رد غير متوقع من Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try again later; if it keeps happening, see the log file.</source>
        <translation>أعد المحاولة لاحقًا؛ إن تكرر ذلك فراجع ملف السجل.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hugging Face problem</source>
        <translation>مشكلة في Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try again later; what was downloaded is kept.</source>
        <translation>أعد المحاولة لاحقًا؛ ما نُزِّل محفوظ.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The model cannot be converted</source>
        <translation>لا يمكن تحويل النموذج</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose another model, or import a converted model package instead.</source>
        <translation>اختر نموذجًا آخر، أو استورد بدلًا منه حزمة نموذج محوَّلة.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Access denied</source>
        <translation>الوصول مرفوض</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This model is gated: add a Hugging Face token in Settings, after accepting the model&apos;s conditions on its Hugging Face page.</source>
        <translation>هذا النموذج ذو وصول مقيد: أضف رمز Hugging Face في التفضيلات، بعد قبول شروط النموذج في صفحته على Hugging Face.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Download failed</source>
        <translation>فشل التنزيل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the internet connection and try again; the download resumes where it stopped.</source>
        <translation>تحقق من الاتصال بالإنترنت وحاول مرة أخرى؛ يُستأنف التنزيل من حيث توقف.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not enough disk space</source>
        <translation>لا توجد مساحة كافية على القرص</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Free some disk space, then try again.</source>
        <translation>حرّر بعض المساحة على القرص، ثم حاول مرة أخرى.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unusable model package</source>
        <translation>حزمة نموذج غير صالحة للاستعمال</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verify the model in the model manager, or import it again.</source>
        <translation>تحقق من النموذج في مدير النماذج، أو استورده من جديد.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model not found</source>
        <translation>النموذج غير موجود</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open Models → Manage models to install or import a model.</source>
        <translation>افتح النماذج ← إدارة النماذج لتثبيت نموذج أو استيراده.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Direction not supported</source>
        <translation>الاتجاه غير مدعوم</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick another model or another direction.</source>
        <translation>اختر نموذجًا آخر أو اتجاهًا آخر.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tokenizer problem</source>
        <translation>مشكلة في المقطِّع</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+5"/>
        <source>Verify the model in the model manager, or re-install it.</source>
        <translation>تحقق من النموذج في مدير النماذج، أو أعد تثبيته.</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Translation engine error</source>
        <translation>خطأ في محرك الترجمة</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot use this input</source>
        <translation>لا يمكن استعمال هذا المُدخل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the text or file and try again.</source>
        <translation>تحقق من النص أو الملف وحاول مرة أخرى.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model catalog problem</source>
        <translation>مشكلة في فهرس النماذج</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the catalog address in Settings; the last good catalog stays in use.</source>
        <translation>تحقق من عنوان الفهرس في التفضيلات؛ يبقى آخر فهرس سليم قيد الاستعمال.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Folder problem</source>
        <translation>مشكلة في مجلد</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check TERJMAN_HOME and that Terjman&apos;s folders can be created.</source>
        <translation>تحقق من TERJMAN_HOME ومن إمكانية إنشاء مجلدات ترجمان.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Model store problem</source>
        <translation>مشكلة في مخزن النماذج</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the models folder is writable, then try again.</source>
        <translation>تحقق من إمكانية الكتابة في مجلد النماذج، ثم حاول مرة أخرى.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>History problem</source>
        <translation>مشكلة في السجل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the data folder is writable; you can turn the history off in the History panel.</source>
        <translation>تحقق من إمكانية الكتابة في مجلد البيانات؛ يمكنك إيقاف السجل من لوحة السجل.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Settings problem</source>
        <translation>مشكلة في الإعدادات</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the settings folder is writable.</source>
        <translation>تحقق من إمكانية الكتابة في مجلد الإعدادات.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Something went wrong</source>
        <translation>حدث خطأ ما</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try again; if it keeps happening, see the log file.</source>
        <translation>حاول مرة أخرى؛ إن تكرر الأمر، راجع ملف السجل التقني.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not enough memory</source>
        <translation>الذاكرة غير كافية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close other programs or choose a smaller model (Nano or Large).</source>
        <translation>أغلق برامج أخرى أو اختر نموذجًا أصغر (Nano أو Large).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>File problem</source>
        <translation>مشكلة في الملف</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the file exists and that you may read and write there.</source>
        <translation>تحقق من وجود الملف ومن أنك تستطيع القراءة والكتابة هناك.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Please report it; the details are in the log files in {folder}.</source>
        <translation>يرجى التبليغ عنه؛ التفاصيل في ملفات السجل التقني داخل {folder}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unexpected error</source>
        <translation>خطأ غير متوقع</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terjman hit an unexpected problem: {error}</source>
        <translation>واجه ترجمان مشكلة غير متوقعة: {error}</translation>
    </message>
</context>
<context>
    <name>hub_access</name>
    <message>
        <location filename="../../terjman_desktop/gui/hub_access.py" line="+91"/>
        <source>Paste your access token (hf_…)</source>
        <translation>الصق رمز الوصول (hf_…)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face access token</source>
        <translation>رمز الوصول إلى Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save the token</source>
        <translation>حفظ الرمز</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the token</source>
        <translation>حفظ الرمز</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&lt;p&gt;&lt;b&gt;{name}&lt;/b&gt; is gated: its authors ask you to accept their conditions before downloading it.&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Sign in to Hugging Face (or create a free account) and accept the conditions on &lt;a href=&quot;{page}&quot;&gt;the model&apos;s page&lt;/a&gt;.&lt;/li&gt;&lt;li&gt;Create an access token with the &lt;i&gt;read&lt;/i&gt; permission in &lt;a href=&quot;{tokens}&quot;&gt;your Hugging Face settings&lt;/a&gt;.&lt;/li&gt;&lt;li&gt;Paste the token here. It is kept in Terjman&apos;s settings and sent to Hugging Face only.&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;{name}&lt;/b&gt; ذو وصول مقيد: يطلب مؤلفوه قبول شروطهم قبل تنزيله.&lt;/p&gt;&lt;ol&gt;&lt;li&gt;سجّل الدخول إلى Hugging Face (أو أنشئ حسابًا مجانيًا) واقبل الشروط في &lt;a href=&quot;{page}&quot;&gt;صفحة النموذج&lt;/a&gt;.&lt;/li&gt;&lt;li&gt;أنشئ رمز وصول بصلاحية &lt;i&gt;read&lt;/i&gt; في &lt;a href=&quot;{tokens}&quot;&gt;إعدادات Hugging Face الخاصة بك&lt;/a&gt;.&lt;/li&gt;&lt;li&gt;الصق الرمز هنا. يُحفظ في تفضيلات ترجمان ولا يُرسل إلا إلى Hugging Face.&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>A token is saved in the settings.</source>
        <translation>يوجد رمز محفوظ في التفضيلات.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A token is set outside Terjman (HF_TOKEN or `hf auth login`); a token pasted here is used instead.</source>
        <translation>يوجد رمز معرَّف خارج ترجمان (HF_TOKEN أو `hf auth login`)؛ يُستعمل بدلًا منه رمز تلصقه هنا.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No token is set yet.</source>
        <translation>لم يُعرَّف أي رمز بعد.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This is not a token: copy it again from your Hugging Face settings (Access Tokens). A token has no spaces.</source>
        <translation>هذا ليس رمزًا: انسخه من جديد من إعدادات Hugging Face (Access Tokens). لا يحتوي الرمز على مسافات.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Paste a token first.</source>
        <translation>الصق رمزًا أولًا.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Access token needed</source>
        <translation>رمز الوصول مطلوب</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open the model&apos;s &amp;page</source>
        <translation>فتح صفحة النموذج</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the model&apos;s page</source>
        <translation>فتح صفحة النموذج</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save the token and &amp;install</source>
        <translation>حفظ الرمز والتثبيت</translation>
    </message>
</context>
<context>
    <name>install_job</name>
    <message>
        <location filename="../../terjman_desktop/gui/install_job.py" line="+89"/>
        <location filename="../../terjman_desktop/gui/map_job.py" line="+70"/>
        <source>Cancelling…</source>
        <translation>جارٍ الإلغاء…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waiting for another Terjman to finish installing this model…</source>
        <translation>في انتظار أن ينتهي Terjman آخر من تثبيت هذا النموذج…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Paused at {percent}</source>
        <translation>متوقف مؤقتًا عند {percent}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Downloading… {percent}</source>
        <translation>جارٍ التنزيل… {percent}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloading… {percent} · {rate}/s · {eta}</source>
        <translation>جارٍ التنزيل… {percent} · {rate}/ث · {eta}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Converting on this computer… {percent}</source>
        <translation>جارٍ التحويل على هذا الحاسوب… {percent}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking and installing… {percent}</source>
        <translation>جارٍ التحقق والتثبيت… {percent}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Asking Hugging Face for the model&apos;s files…</source>
        <translation>جارٍ طلب ملفات النموذج من Hugging Face…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reading training sentences for the vocabulary map… {percent}</source>
        <translation>قراءة جمل التدريب لخريطة المفردات… {percent}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Learning the vocabulary map on this computer… {percent}</source>
        <translation>تعلّم خريطة المفردات على هذا الحاسوب… {percent}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Checking the vocabulary map… {percent}</source>
        <translation>التحقق من خريطة المفردات… {percent}</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>{name} has a vocabulary map learned on this computer: it translates faster, with the same results.</source>
        <translation>لدى {name} خريطة مفردات تعلّمها هذا الحاسوب: يترجم أسرع بالنتائج نفسها.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it was cancelled.</source>
        <translation>أُلغي التعلّم.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the map learned here would have changed some translations.</source>
        <translation>الخريطة المتعلَّمة هنا كانت ستغيّر بعض الترجمات.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name} is installed and translates, a little slower, without a vocabulary map: {why}</source>
        <translation>{name} مثبّت ويترجم، أبطأ قليلًا، بلا خريطة مفردات: {why}</translation>
    </message>
</context>
<context>
    <name>licenses</name>
    <message>
        <location filename="../../terjman_desktop/gui/licenses.py" line="+57"/>
        <source>{name} is published under the {license} license.

{attribution}

cc-by-nc-4.0 allows non-commercial use only, with credit to the authors. Do you accept these terms and want to download the model?</source>
        <translation>نُشر {name} بترخيص {license}.

{attribution}

يسمح cc-by-nc-4.0 بالاستعمال غير التجاري فقط، مع نسبة العمل إلى أصحابه. هل تقبل هذه الشروط وتريد تنزيل النموذج؟</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Model license</source>
        <translation>ترخيص النموذج</translation>
    </message>
</context>
<context>
    <name>model_import</name>
    <message>
        <location filename="../../terjman_desktop/gui/model_import.py" line="+20"/>
        <source>Import a model package</source>
        <translation>استيراد حزمة نموذج</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model packages (*.zip);;All files (*)</source>
        <translation>حزم النماذج (*.zip);;كل الملفات (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Import a model folder</source>
        <translation>استيراد مجلد نموذج</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Importing a model</source>
        <translation>جارٍ استيراد نموذج</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copying and checking {name}…</source>
        <translation>جارٍ نسخ {name} والتحقق منه…</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Model imported</source>
        <translation>تم استيراد النموذج</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is installed and ready to translate.</source>
        <translation>تم تثبيت {name} وهو جاهز للترجمة.</translation>
    </message>
</context>
<context>
    <name>model_table</name>
    <message>
        <location filename="../../terjman_desktop/gui/model_table.py" line="+49"/>
        <source>Model</source>
        <translation>النموذج</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tier</source>
        <translation>المستوى</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Directions</source>
        <translation>الاتجاهات</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download</source>
        <translation>التنزيل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On disk</source>
        <translation>على القرص</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory</source>
        <translation>الذاكرة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quality (TerjamaBench)</source>
        <translation>الجودة (TerjamaBench)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>License</source>
        <translation>الترخيص</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Unreadable: {problem} Repair or delete it.</source>
        <translation>غير مقروء: {problem} أصلحه أو احذفه.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Damaged: {problem} Repair or delete it.</source>
        <translation>تالف: {problem} أصلحه أو احذفه.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Models</source>
        <translation>النماذج</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>Installed</source>
        <translation>مثبت</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Not yet available</source>
        <translation>غير متاح بعد</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Can be installed (gated)</source>
        <translation>قابل للتثبيت (وصول مقيد)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gated: needs a Hugging Face token</source>
        <translation>وصول مقيد: يتطلب رمز Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Can be installed</source>
        <translation>قابل للتثبيت</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Installed · update available: {name} {version}</source>
        <translation>مثبّت · يتوفر تحديث: {name} {version}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{status} · updates {name}</source>
        <translation>{status} · يحدّث {name}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{figures} (a later version)</source>
        <translation>{figures} (إصدار لاحق)</translation>
    </message>
</context>
<context>
    <name>models</name>
    <message>
        <location filename="../../terjman_desktop/gui/model_info.py" line="+28"/>
        <source>English</source>
        <translation>الإنجليزية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Darija</source>
        <translation>الدارجة</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nano</source>
        <translation>Nano</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Large</source>
        <translation>Large</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ultra</source>
        <translation>Ultra</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supreme</source>
        <translation>Supreme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NLLB</source>
        <translation>NLLB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Custom</source>
        <translation>مخصص</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>fastest, basic quality</source>
        <translation>الأسرع، جودة أساسية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fast, better quality</source>
        <translation>سريع، جودة أفضل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>slower, best quality, both directions</source>
        <translation>أبطأ، أفضل جودة، في الاتجاهين</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>slowest, top quality, needs much memory</source>
        <translation>الأبطأ، جودة عالية جدًا، يحتاج ذاكرة كبيرة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>general model, both directions</source>
        <translation>نموذج عام، في الاتجاهين</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>speed and quality unknown</source>
        <translation>السرعة والجودة غير معروفتين</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>estimating…</source>
        <translation>جارٍ التقدير…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{n} s left</source>
        <translation>بقيت {n} ث</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} min left</source>
        <translation>بقيت {n} د</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{h} h {m} min left</source>
        <translation>بقي {h} س {m} د</translation>
    </message>
</context>
</TS>

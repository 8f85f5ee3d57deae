<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AlternativesBox</name>
    <message>
        <location filename="../../terjman_desktop/gui/alternatives.py" line="+43"/>
        <source>Other tra&amp;nslations of the selected sentence:</source>
        <translation>Autres tra&amp;ductions de la phrase choisie :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other translations</source>
        <translation>Autres traductions</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose one to replace the selected sentence of the translation.</source>
        <translation>Choisissez-en une pour remplacer la phrase choisie de la traduction.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Looking for other translations…</source>
        <translation>Recherche d&apos;autres traductions…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No other translation was found for this sentence.</source>
        <translation>Aucune autre traduction n&apos;a été trouvée pour cette phrase.</translation>
    </message>
</context>
<context>
    <name>DirectionIndicator</name>
    <message>
        <location filename="../../terjman_desktop/gui/direction_indicator.py" line="+105"/>
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Darija (Arabic script)</source>
        <translation>Darija (écriture arabe)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Darija in Latin letters (Arabizi)</source>
        <translation>Darija en lettres latines (arabizi)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Detects the language as you type</source>
        <translation>Détecte la langue pendant la saisie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read as: {kind}</source>
        <translation>Lu comme : {kind}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Detected: {kind}</source>
        <translation>Détecté : {kind}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Detect automatically</source>
        <translation>Détecter automatiquement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick the direction from the text again</source>
        <translation>Choisir de nouveau le sens d’après le texte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not right? Read as {kind}</source>
        <translation>Erreur ? Lire comme {kind}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Translate this text as {kind}</source>
        <translation>Traduire ce texte comme {kind}</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <location filename="../../terjman_desktop/gui/document_dialog.py" line="+65"/>
        <source>Translate a document</source>
        <translation>Traduire un document</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>File to translate</source>
        <translation>Fichier à traduire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Column to translate</source>
        <translation>Colonne à traduire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Column:</source>
        <translation>&amp;Colonne :</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Where the translation goes</source>
        <translation>Où va la traduction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In a new column beside the source</source>
        <translation>Dans une nouvelle colonne à côté de la source</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In place of the source</source>
        <translation>À la place de la source</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Translation:</source>
        <translation>&amp;Traduction :</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bilingual copy</source>
        <translation>Copie bilingue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translation only</source>
        <translation>Traduction seule</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source, then its translation (interleaved)</source>
        <translation>La source, puis sa traduction (entrelacées)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source and translation side by side</source>
        <translation>Source et traduction côte à côte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For &amp;learners:</source>
        <translation>Pour les &amp;apprenants :</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encoding of the translation</source>
        <translation>Encodage de la traduction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>UTF-8</source>
        <translation>UTF-8</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The same as the file&apos;s</source>
        <translation>Le même que celui du fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Encoding:</source>
        <translation>&amp;Encodage :</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Translated file</source>
        <translation>Fichier traduit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;hange…</source>
        <translation>&amp;Modifier…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{model}, {direction}</source>
        <translation>{model}, {direction}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No model installed for {direction}.</source>
        <translation>Aucun modèle installé pour {direction}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time left</source>
        <translation>Temps restant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Translate</source>
        <translation>&amp;Traduire</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open the folder</source>
        <translation>&amp;Ouvrir le dossier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;File:</source>
        <translation>&amp;Fichier :</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Save as:</source>
        <translation>&amp;Enregistrer sous :</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Model:</source>
        <translation>Modèle :</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Choose a document</source>
        <translation>Choisir un document</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Documents ({patterns});;All files (*)</source>
        <translation>Documents ({patterns});;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>All text cells</source>
        <translation>Toutes les cellules de texte</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Only the text of a PDF is translated, into a Word document (or a .txt file if you save it as .txt): the PDF&apos;s layout — columns, fonts, pictures — is not kept.</source>
        <translation>Seul le texte d’un PDF est traduit, dans un document Word (ou un fichier .txt si vous l’enregistrez en .txt) : la mise en page du PDF — colonnes, polices, images — n’est pas conservée.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Save the translation as</source>
        <translation>Enregistrer la traduction sous</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No model</source>
        <translation>Aucun modèle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No installed model translates {direction}. Open Models → Manage models to install one.</source>
        <translation>Aucun modèle installé ne traduit {direction}. Ouvrez Modèles → Gérer les modèles pour en installer un.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No file</source>
        <translation>Aucun fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a file to translate: {extensions}.</source>
        <translation>Choisissez un fichier à traduire : {extensions}.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Loading the model…</source>
        <translation>Chargement du modèle…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Replace the file?</source>
        <translation>Remplacer le fichier ?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} already exists. Replace it?</source>
        <translation>{path} existe déjà. Le remplacer ?</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{done} of {total} parts translated, {eta}</source>
        <translation>{done} parties traduites sur {total}, {eta}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Done: saved to {path}</source>
        <translation>Terminé : enregistré dans {path}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The file is not UTF-8: it was read as {encoding} (detected). If the text looks wrong, save it as UTF-8 and translate it again.</source>
        <translation>Le fichier n’est pas en UTF-8 : il a été lu comme {encoding} (détecté). Si le texte semble faux, enregistrez-le en UTF-8 et traduisez-le de nouveau.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Read as {read}; written as {written}.</source>
        <translation>Lu comme {read} ; écrit comme {written}.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not translated: {parts}.</source>
        <translation>Non traduit : {parts}.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
</context>
<context>
    <name>HelpPage</name>
    <message>
        <location filename="../../terjman_desktop/gui/help_page.py" line="+51"/>
        <source>Translate now, at the chosen quality</source>
        <translation>Traduire maintenant, à la qualité choisie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On a sentence of the translation: its other translations</source>
        <translation>Sur une phrase de la traduction : ses autres traductions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other translations of the sentence at the caret</source>
        <translation>Autres traductions de la phrase sous le curseur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correct the translation yourself (Enter saves it)</source>
        <translation>Corriger vous-même la traduction (Entrée l’enregistre)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close the other translations, cancel a correction, or leave classroom mode</source>
        <translation>Fermer les autres traductions, annuler une correction ou quitter le mode classe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move between the panes and the buttons</source>
        <translation>Passer d’un volet et d’un bouton à l’autre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In the history: delete the selected entry</source>
        <translation>Dans l’historique : supprimer l’entrée sélectionnée</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Terjman help</source>
        <translation>Aide de Terjman</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type English, Darija in Arabic script, or Darija in Latin letters (Arabizi, such as “wach nta mzyan?”): the direction picks itself, and the line above the text says what it took your text for. One click on the button beside it reads the text the other way.</source>
        <translation>Tapez de l’anglais, du darija en écriture arabe ou du darija en lettres latines (arabizi, comme « wach nta mzyan? ») : le sens se choisit tout seul, et la ligne au-dessus du texte dit pour quoi votre texte a été pris. Un clic sur le bouton à côté le lit autrement.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Arabizi is shown in Arabic script under your text: that is what is translated. Correct it there if a word came out wrong.</source>
        <translation>L’arabizi est affiché en écriture arabe sous votre texte : c’est ce qui est traduit. Corrigez-le là si un mot est mal écrit.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Click a sentence of the translation to see other translations; pick one to use it.</source>
        <translation>Cliquez sur une phrase de la traduction pour voir d’autres traductions ; choisissez-en une pour l’utiliser.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>★ saves the sentence you selected (or clicked) to the phrasebook, or the whole text when nothing is selected.</source>
        <translation>★ enregistre dans le carnet la phrase sélectionnée (ou cliquée), ou tout le texte quand rien n’est sélectionné.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✎ Correct (F2) lets you fix the translation; your version goes to the history and the phrasebook marked as your own.</source>
        <translation>✎ Corriger (F2) vous laisse corriger la traduction ; votre version va dans l’historique et le carnet, marquée comme la vôtre.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export the phrasebook for Anki: each phrase gives two cards, English → Darija and Darija → English, with the Darija in Latin letters.</source>
        <translation>Exportez le carnet pour Anki : chaque expression donne deux cartes, anglais → darija et darija → anglais, avec le darija en lettres latines.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>What you can do</source>
        <translation>Ce que vous pouvez faire</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Help and keyboard shortcuts</source>
        <translation>Aide et raccourcis clavier</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../terjman_desktop/gui/history_panel.py" line="+188"/>
        <source>Phrase&amp;book</source>
        <translation>&amp;Carnet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the history…</source>
        <translation>Rechercher dans l&apos;historique…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the history</source>
        <translation>Rechercher dans l&apos;historique</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+4"/>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keep a history</source>
        <translation>&amp;Garder un historique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Use</source>
        <translation>&amp;Utiliser</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save to phrasebook</source>
        <translation>Enregistrer dans le carnet</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>★ Sta&amp;r</source>
        <translation>★ &amp;Favori</translation>
    </message>
    <message>
        <location line="-126"/>
        <source>✎ your own translation</source>
        <translation>✎ votre propre traduction</translation>
    </message>
    <message>
        <location line="+128"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the selected entry (Delete key)</source>
        <translation>Supprimer l&apos;entrée choisie (touche Suppr)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear histor&amp;y…</source>
        <translation>&amp;Vider l&apos;historique…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the phrasebook…</source>
        <translation>Rechercher dans le carnet…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the phrasebook</source>
        <translation>Rechercher dans le carnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Remove</source>
        <translation>&amp;Retirer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export C&amp;SV…</source>
        <translation>Exporter en C&amp;SV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export for &amp;Anki…</source>
        <translation>Exporter pour &amp;Anki…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import CSV…</source>
        <translation>&amp;Importer un CSV…</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Clear the history</source>
        <translation>Vider l&apos;historique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete every translation kept in the history? The phrasebook is kept.</source>
        <translation>Supprimer toutes les traductions gardées dans l&apos;historique ? Le carnet est conservé.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export the phrasebook</source>
        <translation>Exporter le carnet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export the phrasebook for Anki</source>
        <translation>Exporter le carnet pour Anki</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anki decks (*.apkg)</source>
        <translation>Paquets Anki (*.apkg)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{count} phrases were exported to {path}.</source>
        <translation>{count} phrases ont été exportées dans {path}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import phrases</source>
        <translation>Importer des phrases</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>Fichiers CSV (*.csv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{added} phrases imported, {skipped} already in the phrasebook.</source>
        <translation>{added} phrases importées, {skipped} déjà dans le carnet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lines not imported:</source>
        <translation>Lignes non importées :</translation>
    </message>
    <message>
        <location line="-122"/>
        <location line="+129"/>
        <source>Phrasebook</source>
        <translation>Carnet de phrases</translation>
    </message>
</context>
<context>
    <name>MainActions</name>
    <message>
        <location filename="../../terjman_desktop/gui/main_actions.py" line="+135"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mode&amp;ls</source>
        <translation>&amp;Modèles</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate a &amp;document…</source>
        <translation>Traduire un &amp;document…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Share with the classroom…</source>
        <translation>&amp;Partager avec la classe…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Translate now</source>
        <translation>&amp;Traduire maintenant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;wap languages</source>
        <translation>&amp;Inverser les langues</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copy the translation</source>
        <translation>&amp;Copier la traduction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save to the phrasebook</source>
        <translation>&amp;Enregistrer dans le carnet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other translations of the &amp;sentence</source>
        <translation>Autres traductions de la &amp;phrase</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Bigger text</source>
        <translation>Texte plus &amp;grand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;maller text</source>
        <translation>Texte plus &amp;petit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Normal text size</source>
        <translation>Taille de texte &amp;normale</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Classroom mode</source>
        <translation>Mode &amp;classe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full screen, very large text (F11 or Esc to leave)</source>
        <translation>Plein écran, texte très grand (F11 ou Échap pour sortir)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;History and phrasebook</source>
        <translation>&amp;Historique et carnet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Manage models…</source>
        <translation>&amp;Gérer les modèles…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import a model package file…</source>
        <translation>&amp;Importer un fichier de modèle…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a model &amp;folder…</source>
        <translation>Importer un &amp;dossier de modèle…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help and keyboard shortcuts</source>
        <translation>&amp;Aide et raccourcis clavier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the &amp;log folder</source>
        <translation>Ouvrir le dossier des &amp;journaux</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Terjman</source>
        <translation>À &amp;propos de Terjman</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>About Terjman</source>
        <translation>À propos de Terjman</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Terjman Desktop {version}

Offline English ⇄ Moroccan Darija translation with the Terjman models by AtlasIA (cc-by-nc-4.0: non-commercial use).

Log files: {logs}</source>
        <translation>Terjman Desktop {version}

Traduction anglais ⇄ darija marocaine hors ligne avec les modèles Terjman d&apos;AtlasIA (cc-by-nc-4.0 : usage non commercial).

Journaux : {logs}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../terjman_desktop/gui/main_window.py" line="+113"/>
        <source>Terjman — English ⇄ Darija</source>
        <translation>Terjman — anglais ⇄ darija</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History and phrasebook</source>
        <translation>Historique et carnet</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/installed_models.py" line="+110"/>
        <source>{name} is no longer installed; now translating with {other}.</source>
        <translation>{name} n&apos;est plus installé ; la traduction utilise maintenant {other}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name} is no longer installed.</source>
        <translation>{name} n&apos;est plus installé.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} is now installed.</source>
        <translation>{name} est maintenant installé.</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/main_window.py" line="+181"/>
        <source>Saved to the phrasebook.</source>
        <translation>Enregistré dans le carnet.</translation>
    </message>
</context>
<context>
    <name>ModelManagerDialog</name>
    <message>
        <location filename="../../terjman_desktop/gui/model_manager_view.py" line="+108"/>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>&amp;Install</source>
        <translation>&amp;Installer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Resume</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>De&amp;lete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Rep&amp;air…</source>
        <translation>R&amp;éparer…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Verify</source>
        <translation>&amp;Vérifier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export for sharing…</source>
        <translation>&amp;Exporter pour partager…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Speed up (learn the vocabulary map)</source>
        <translation>&amp;Accélérer (apprendre la carte de vocabulaire)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a &amp;file…</source>
        <translation>Importer un &amp;fichier…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a f&amp;older…</source>
        <translation>Importer un d&amp;ossier…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;fresh the catalog</source>
        <translation>&amp;Actualiser le catalogue</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Model details</source>
        <translation>Détails du modèle</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Refreshing the catalog…</source>
        <translation>Actualisation du catalogue…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No catalog address is set in the Preferences, so nothing was fetched: the catalog shown ({count} models) is the one this computer already has.</source>
        <translation>Aucune adresse de catalogue n’est définie dans les Préférences, donc rien n’a été récupéré : le catalogue affiché ({count} modèles) est celui que cet ordinateur a déjà.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The catalog could not be refreshed (are you offline?): {problem} The last catalog this computer received is shown ({count} models). {hint}</source>
        <translation>Le catalogue n’a pas pu être actualisé (êtes-vous hors ligne ?) : {problem} Le dernier catalogue reçu par cet ordinateur est affiché ({count} modèles). {hint}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The catalog was refreshed: {count} models.</source>
        <translation>Le catalogue a été actualisé : {count} modèles.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Waiting for another Terjman to finish with this model…</source>
        <translation>En attente qu’un autre Terjman ait fini avec ce modèle…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleting…</source>
        <translation>Suppression…</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Base model: {base}</source>
        <translation>Modèle de base : {base}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>License: {license}. {attribution}</source>
        <translation>Licence : {license}. {attribution}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gated: installing it needs a Hugging Face access token, after you accept its conditions on its Hugging Face page.</source>
        <translation>Accès restreint : l’installer demande un jeton d’accès Hugging Face, après avoir accepté ses conditions sur sa page Hugging Face.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gated: your Hugging Face token is used.</source>
        <translation>Accès restreint : votre jeton Hugging Face est utilisé.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Installed in {path}</source>
        <translation>Installé dans {path}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The catalog has {what}: Install replaces this copy.</source>
        <translation>Le catalogue propose {what} : Installer remplace cette copie.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>version {version}</source>
        <translation>la version {version}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>corrected files for this version</source>
        <translation>des fichiers corrigés pour cette version</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An update is available: {name} {version}. Select it in the list and install it; this model stays until you delete it.</source>
        <translation>Une mise à jour est disponible : {name} {version}. Sélectionnez-la dans la liste et installez-la ; ce modèle reste jusqu’à ce que vous le supprimiez.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>It has no vocabulary map yet: Speed up learns one on this computer from its training sentences, so it translates faster with the same results.</source>
        <translation>Il n’a pas encore de carte de vocabulaire : Accélérer en apprend une sur cet ordinateur à partir de ses phrases d’entraînement ; il traduit alors plus vite, avec les mêmes résultats.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What is wrong:</source>
        <translation>Ce qui ne va pas :</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Repair installs it again from the catalog.</source>
        <translation>Réparer le réinstalle depuis le catalogue.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Repair imports it again from a model package file.</source>
        <translation>Réparer le réimporte depuis un fichier de modèle.</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/model_manager.py" line="+194"/>
        <source>Delete a model</source>
        <translation>Supprimer un modèle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete {name} from this computer? You can install it again later.</source>
        <translation>Supprimer {name} de cet ordinateur ? Vous pourrez le réinstaller plus tard.</translation>
    </message>
    <message>
        <location line="+40"/>
        <location line="+5"/>
        <source>Verify</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>All files of {name} are intact.</source>
        <translation>Tous les fichiers de {name} sont intacts.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{name} is damaged:
{problems}

Repair it or delete it.</source>
        <translation>{name} est endommagé :
{problems}

Réparez-le ou supprimez-le.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export a model for sharing</source>
        <translation>Exporter un modèle pour le partager</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model packages (*.zip)</source>
        <translation>Paquets de modèles (*.zip)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} was saved to {path}. Copy it to a USB stick and use Models → Import on another computer.</source>
        <translation>{name} a été enregistré dans {path}. Copiez-le sur une clé USB et utilisez Modèles → Importer sur un autre ordinateur.</translation>
    </message>
</context>
<context>
    <name>PanelWidgets</name>
    <message>
        <location filename="../../terjman_desktop/gui/panel_widgets.py" line="+178"/>
        <source>&amp;Direction:</source>
        <translation>&amp;Sens :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translation direction</source>
        <translation>Sens de traduction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⇄ S&amp;wap</source>
        <translation>⇄ &amp;Inverser</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Swap the languages and the two texts</source>
        <translation>Inverser les langues et les deux textes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Swap languages</source>
        <translation>Inverser les langues</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Model:</source>
        <translation>&amp;Modèle :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translation model</source>
        <translation>Modèle de traduction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Get a model…</source>
        <translation>&amp;Obtenir un modèle…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Get a model</source>
        <translation>Obtenir un modèle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translating</source>
        <translation>Traduction en cours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text to translate</source>
        <translation>Texte à traduire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type or paste text here…</source>
        <translation>Tapez ou collez le texte ici…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Translate</source>
        <translation>&amp;Traduire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate now (Ctrl+Enter)</source>
        <translation>Traduire maintenant (Ctrl+Entrée)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate</source>
        <translation>Traduire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copy text</source>
        <translation>&amp;Copier le texte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the text to translate</source>
        <translation>Copier le texte à traduire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translation</source>
        <translation>Traduction</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Click a sentence, or press Enter on it, to see other translations.</source>
        <translation>Cliquez sur une phrase, ou appuyez sur Entrée dessus, pour voir d&apos;autres traductions.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The translation appears here.</source>
        <translation>La traduction apparaît ici.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Darija in Latin letters</source>
        <translation>Darija en lettres latines</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading aid: the Darija in Latin letters (Arabizi)</source>
        <translation>Aide à la lecture : la darija en lettres latines (arabizi)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;opy translation</source>
        <translation>C&amp;opier la traduction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the translation</source>
        <translation>Copier la traduction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>★ Save to &amp;phrasebook</source>
        <translation>★ Enregistrer dans le &amp;carnet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save to phrasebook</source>
        <translation>Enregistrer dans le carnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the selected sentences, or the sentence whose other translations are shown, to the phrasebook; the whole text when none is (Ctrl+S)</source>
        <translation>Enregistrer dans le carnet les phrases sélectionnées, ou la phrase dont les autres traductions sont affichées ; tout le texte sinon (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✎ Co&amp;rrect</source>
        <translation>✎ Co&amp;rriger</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correct the translation</source>
        <translation>Corriger la traduction</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit the translation yourself; your correction goes to the history and the phrasebook as your own (F2)</source>
        <translation>Modifiez vous-même la traduction ; votre correction va dans l’historique et le carnet comme la vôtre (F2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Correcting: edit the translation, then press Enter or ✎ Correct again to save it as your own; Escape cancels.</source>
        <translation>Correction : modifiez la traduction, puis appuyez sur Entrée ou de nouveau sur ✎ Corriger pour l’enregistrer comme la vôtre ; Échap annule.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>In Arabic script, as it is translated (correct it if needed):</source>
        <translation>En écriture arabe, telle qu’elle est traduite (corrigez-la si besoin) :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The Darija in Arabic script</source>
        <translation>Le darija en écriture arabe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exit classroom mode (F11 / Esc)</source>
        <translation>Quitter le mode classe (F11 / Échap)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exit classroom mode</source>
        <translation>Quitter le mode classe</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../terjman_desktop/gui/settings_dialog.py" line="+41"/>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+4"/>
        <source>Like the system</source>
        <translation>Comme le système</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Use the default font</source>
        <translation>Utiliser la police par défaut</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Fast</source>
        <translation>Rapide</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Balanced</source>
        <translation>Équilibrée</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Best (slower)</source>
        <translation>Meilleure (plus lente)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Automatic</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate &amp;as I type</source>
        <translation>Traduire &amp;pendant la frappe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use the model&apos;s &amp;vocabulary map when it has one (faster)</source>
        <translation>Utiliser la carte de &amp;vocabulaire du modèle quand il en a une (plus rapide)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show Darija in &amp;Latin letters (Arabizi) under translations</source>
        <translation>Afficher la darija en lettres &amp;latines (arabizi) sous les traductions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep a &amp;history of translations</source>
        <translation>Garder un &amp;historique des traductions</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Built-in catalog</source>
        <translation>Catalogue intégré</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One address per line, tried before the catalog&apos;s</source>
        <translation>Une adresse par ligne, essayée avant celles du catalogue</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only for gated models</source>
        <translation>Seulement pour les modèles à accès restreint</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only gated models (such as the Terjman v2.0 models) need one: accept the model&apos;s conditions on its Hugging Face page while signed in, then create a token with the &lt;i&gt;read&lt;/i&gt; permission in &lt;a href=&quot;{tokens}&quot;&gt;your Hugging Face settings&lt;/a&gt; and paste it here. It is sent to Hugging Face only. HF_TOKEN in the environment works too.</source>
        <translation>Seuls les modèles à accès restreint (comme les modèles Terjman v2.0) en ont besoin : acceptez les conditions du modèle sur sa page Hugging Face en étant connecté, puis créez un jeton avec la permission &lt;i&gt;read&lt;/i&gt; dans &lt;a href=&quot;{tokens}&quot;&gt;vos paramètres Hugging Face&lt;/a&gt; et collez-le ici. Il n’est envoyé qu’à Hugging Face. HF_TOKEN dans l’environnement fonctionne aussi.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Theme:</source>
        <translation>&amp;Thème :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Interface language:</source>
        <translation>Langue de l&apos;&amp;interface :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Font:</source>
        <translation>&amp;Police :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Text si&amp;ze:</source>
        <translation>&amp;Taille du texte :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classroom text si&amp;ze:</source>
        <translation>Taille du texte en &amp;classe :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Default &amp;direction:</source>
        <translation>&amp;Sens par défaut :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quality:</source>
        <translation>&amp;Qualité :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU thr&amp;eads:</source>
        <translation>&amp;Fils du processeur :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Catalog address:</source>
        <translation>&amp;Adresse du catalogue :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Mirrors:</source>
        <translation>&amp;Miroirs :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face &amp;token:</source>
        <translation>&amp;Jeton Hugging Face :</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Appearance</source>
        <translation>Apparence</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Translation</source>
        <translation>Traduction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Interface language</source>
        <translation>Langue de l&apos;interface</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Font</source>
        <translation>Police</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Text size</source>
        <translation>Taille du texte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classroom text size</source>
        <translation>Taille du texte en classe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default direction</source>
        <translation>Sens par défaut</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quality</source>
        <translation>Qualité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU threads</source>
        <translation>Fils du processeur</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Catalog address</source>
        <translation>Adresse du catalogue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mirrors</source>
        <translation>Miroirs</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hugging Face token</source>
        <translation>Jeton Hugging Face</translation>
    </message>
</context>
<context>
    <name>SharingDialog</name>
    <message>
        <location filename="../../terjman_desktop/gui/sharing.py" line="+148"/>
        <source>Share with the classroom</source>
        <translation>Partager avec la classe</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Share with the classroom</source>
        <translation>&amp;Partager avec la classe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Phones on this computer&apos;s network can translate with the app&apos;s model</source>
        <translation>Les téléphones du réseau de cet ordinateur peuvent traduire avec le modèle de l’application</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Students on the same Wi-Fi scan the code or open the address in a browser. Nothing leaves the classroom: this computer does the translating.</source>
        <translation>Les élèves sur le même Wi-Fi scannent le code ou ouvrent l’adresse dans un navigateur. Rien ne sort de la classe : c’est cet ordinateur qui traduit.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Access key (optional)</source>
        <translation>Clé d’accès (facultative)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Access key</source>
        <translation>Clé d’accès</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>QR code of the address</source>
        <translation>Code QR de l’adresse</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Copy the address</source>
        <translation>&amp;Copier l’adresse</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>S&amp;top sharing</source>
        <translation>Arrê&amp;ter le partage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Serving {model} — {count} translations so far.</source>
        <translation>Sert {model} — {count} traductions jusqu’ici.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This computer is on no network, so phones cannot reach it: connect it to the classroom&apos;s Wi-Fi (or a phone&apos;s hotspot), then switch sharing off and on.</source>
        <translation>Cet ordinateur n&apos;est connecté à aucun réseau, les téléphones ne peuvent donc pas l&apos;atteindre : connectez-le au Wi-Fi de la classe (ou au partage de connexion d&apos;un téléphone), puis désactivez et réactivez le partage.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Install or choose a model first.</source>
        <translation>Installez ou choisissez d’abord un modèle.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Sharing is off.</source>
        <translation>Le partage est arrêté.</translation>
    </message>
</context>
<context>
    <name>TranslatePanel</name>
    <message>
        <location filename="../../terjman_desktop/gui/translate_panel.py" line="+313"/>
        <source>No installed model translates {direction}</source>
        <translation>Aucun modèle installé ne traduit {direction}</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Install a model to translate.</source>
        <translation>Installez un modèle pour traduire.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The translation failed.</source>
        <translation>La traduction a échoué.</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+1"/>
        <source>Translating…</source>
        <translation>Traduction…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Saved to the phrasebook: {count}.</source>
        <translation>Enregistré dans le carnet : {count}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 sentence</source>
        <translation>1 phrase</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} sentences</source>
        <translation>{n} phrases</translation>
    </message>
    <message>
        <location line="+222"/>
        <source>Keep one line of translation for each line of the text, then save again.</source>
        <translation>Gardez une ligne de traduction par ligne du texte, puis enregistrez de nouveau.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Your correction is saved as your own translation.</source>
        <translation>Votre correction est enregistrée comme votre propre traduction.</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../../terjman_desktop/gui/welcome_view.py" line="+51"/>
        <source>Welcome to Terjman</source>
        <translation>Bienvenue dans Terjman</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Checking the internet connection…</source>
        <translation>Vérification de la connexion internet…</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>&lt;h2&gt;Welcome to Terjman&lt;/h2&gt;&lt;p&gt;Terjman translates between English and Moroccan Darija on this computer. It needs a translation model; once one is installed, no internet connection is needed.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Bienvenue dans Terjman&lt;/h2&gt;&lt;p&gt;Terjman traduit entre l’anglais et la darija marocaine sur cet ordinateur. Il lui faut un modèle de traduction ; une fois un modèle installé, aucune connexion internet n’est nécessaire.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>C&amp;hoose another model…</source>
        <translation>C&amp;hoisir un autre modèle…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a model &amp;file (USB stick)…</source>
        <translation>Importer un &amp;fichier de modèle (clé USB)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a model f&amp;older…</source>
        <translation>Importer un d&amp;ossier de modèle…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Later</source>
        <translation>Plus &amp;tard</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection status</source>
        <translation>État de la connexion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Installation status</source>
        <translation>État de l’installation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Installation progress</source>
        <translation>Progression de l’installation</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Recommended to start</source>
        <translation>Recommandé pour commencer</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Install</source>
        <translation>&amp;Installer</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/welcome.py" line="+118"/>
        <source>Newer models, such as {name}, need a Hugging Face account and an access token…</source>
        <translation>Les modèles plus récents, comme {name}, demandent un compte Hugging Face et un jeton d’accès…</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/welcome_view.py" line="+51"/>
        <source>{name} — {directions}, {hint}</source>
        <translation>{name} — {directions}, {hint}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download: {size}</source>
        <translation>Téléchargement : {size}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>on this computer: {size}</source>
        <translation>sur cet ordinateur : {size}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>memory: {size}</source>
        <translation>mémoire : {size}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>License: {license}. {attribution}</source>
        <translation>Licence : {license}. {attribution}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It allows non-commercial use only, with credit to the authors.</source>
        <translation>Elle n’autorise qu’un usage non commercial, en citant les auteurs.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Installing it means you accept this license.</source>
        <translation>L’installer vaut acceptation de cette licence.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It is downloaded from Hugging Face and converted on this computer; this takes a few minutes.</source>
        <translation>Il est téléchargé depuis Hugging Face et converti sur cet ordinateur ; cela prend quelques minutes.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It is downloaded from the catalog&apos;s servers and checked.</source>
        <translation>Il est téléchargé depuis les serveurs du catalogue et vérifié.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Try &amp;again</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Install {name}</source>
        <translation>&amp;Installer {name}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A model on this computer is damaged and cannot be used: {names}. Choose another model to open the model manager, where you can repair or delete it.</source>
        <translation>Un modèle de cet ordinateur est endommagé et inutilisable : {names}. Choisissez un autre modèle pour ouvrir le gestionnaire de modèles, où vous pouvez le réparer ou le supprimer.</translation>
    </message>
    <message>
        <location filename="../../terjman_desktop/gui/welcome.py" line="+25"/>
        <source>This computer seems to be offline. Import a model package from a file, a folder or a USB stick, or connect to the internet and install.</source>
        <translation>Cet ordinateur semble hors ligne. Importez un paquet de modèle depuis un fichier, un dossier ou une clé USB, ou connectez-vous à internet et installez.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>You are online: install the recommended model, or choose another one.</source>
        <translation>Vous êtes en ligne : installez le modèle recommandé, ou choisissez-en un autre.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The model catalog offers no model that installs without a Hugging Face account: choose one in the model manager, or import a model package.</source>
        <translation>Le catalogue ne propose aucun modèle installable sans compte Hugging Face : choisissez-en un dans le gestionnaire de modèles, ou importez un paquet de modèle.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>The installation was cancelled; nothing was installed. What was already downloaded is kept, so installing again goes faster.</source>
        <translation>L’installation a été annulée ; rien n’a été installé. Ce qui était déjà téléchargé est conservé : une nouvelle installation ira plus vite.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{name} needs a Hugging Face access token: follow the steps below, then install again.</source>
        <translation>{name} demande un jeton d’accès Hugging Face : suivez les étapes ci-dessous, puis relancez l’installation.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The token is saved. Install the model again, or choose a gated model in the model manager.</source>
        <translation>Le jeton est enregistré. Relancez l’installation du modèle, ou choisissez un modèle à accès restreint dans le gestionnaire de modèles.</translation>
    </message>
    <message>
        <location line="-46"/>
        <location line="+60"/>
        <source>{name} is installed. You can start translating.</source>
        <translation>{name} est installé. Vous pouvez commencer à traduire.</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../terjman_desktop/gui/errors.py" line="+41"/>
        <source>This model is gated</source>
        <translation>Ce modèle est à accès restreint</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accept the model&apos;s conditions on its Hugging Face page while signed in, then paste an access token (Preferences → Hugging Face token).</source>
        <translation>Acceptez les conditions du modèle sur sa page Hugging Face en étant connecté, puis collez un jeton d’accès (Préférences → Jeton Hugging Face).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Hugging Face refused access</source>
        <translation>Hugging Face a refusé l’accès</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the access token in Preferences: create a new one with the read permission in your Hugging Face settings if it has expired.</source>
        <translation>Vérifiez le jeton d’accès dans les Préférences : créez-en un nouveau avec la permission read dans vos paramètres Hugging Face s’il a expiré.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Model not found on Hugging Face</source>
        <translation>Modèle introuvable sur Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh the catalog; the model may have moved.</source>
        <translation>Actualisez le catalogue ; le modèle a peut-être été déplacé.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model version not found on Hugging Face</source>
        <translation>Version du modèle introuvable sur Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh the catalog; this version may have been removed.</source>
        <translation>Actualisez le catalogue ; cette version a peut-être été retirée.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A file of the model is missing on Hugging Face</source>
        <translation>Un fichier du modèle manque sur Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh the catalog, or choose another model.</source>
        <translation>Actualisez le catalogue, ou choisissez un autre modèle.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model disabled on Hugging Face</source>
        <translation>Modèle désactivé sur Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose another model.</source>
        <translation>Choisissez un autre modèle.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hugging Face is busy</source>
        <translation>Hugging Face est surchargé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wait a few minutes, then try again.</source>
        <translation>Attendez quelques minutes, puis réessayez.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hugging Face cannot be reached</source>
        <translation>Hugging Face est injoignable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the internet connection and try again; what was downloaded is kept. Without internet, import a model from a file or a USB stick.</source>
        <translation>Vérifiez la connexion internet et réessayez ; ce qui a été téléchargé est conservé. Sans internet, importez un modèle depuis un fichier ou une clé USB.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Unexpected answer from Hugging Face</source>
        <translation>Réponse inattendue de Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try again later; if it keeps happening, see the log file.</source>
        <translation>Réessayez plus tard ; si cela se répète, consultez le journal.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hugging Face problem</source>
        <translation>Problème avec Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try again later; what was downloaded is kept.</source>
        <translation>Réessayez plus tard ; ce qui a été téléchargé est conservé.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The model cannot be converted</source>
        <translation>Le modèle ne peut pas être converti</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose another model, or import a converted model package instead.</source>
        <translation>Choisissez un autre modèle, ou importez plutôt un paquet de modèle déjà converti.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Access denied</source>
        <translation>Accès refusé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This model is gated: add a Hugging Face token in Settings, after accepting the model&apos;s conditions on its Hugging Face page.</source>
        <translation>Ce modèle est à accès restreint : ajoutez un jeton Hugging Face dans les Préférences, après avoir accepté les conditions du modèle sur sa page Hugging Face.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Download failed</source>
        <translation>Échec du téléchargement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the internet connection and try again; the download resumes where it stopped.</source>
        <translation>Vérifiez la connexion internet et réessayez ; le téléchargement reprend là où il s&apos;est arrêté.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not enough disk space</source>
        <translation>Pas assez d&apos;espace disque</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Free some disk space, then try again.</source>
        <translation>Libérez de l&apos;espace disque, puis réessayez.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unusable model package</source>
        <translation>Paquet de modèle inutilisable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verify the model in the model manager, or import it again.</source>
        <translation>Vérifiez le modèle dans le gestionnaire de modèles, ou importez-le à nouveau.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model not found</source>
        <translation>Modèle introuvable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open Models → Manage models to install or import a model.</source>
        <translation>Ouvrez Modèles → Gérer les modèles pour installer ou importer un modèle.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Direction not supported</source>
        <translation>Sens non pris en charge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick another model or another direction.</source>
        <translation>Choisissez un autre modèle ou un autre sens.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tokenizer problem</source>
        <translation>Problème de tokeniseur</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+5"/>
        <source>Verify the model in the model manager, or re-install it.</source>
        <translation>Vérifiez le modèle dans le gestionnaire de modèles, ou réinstallez-le.</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Translation engine error</source>
        <translation>Erreur du moteur de traduction</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot use this input</source>
        <translation>Impossible d&apos;utiliser cette entrée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the text or file and try again.</source>
        <translation>Vérifiez le texte ou le fichier et réessayez.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model catalog problem</source>
        <translation>Problème de catalogue des modèles</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the catalog address in Settings; the last good catalog stays in use.</source>
        <translation>Vérifiez l&apos;adresse du catalogue dans les Préférences ; le dernier catalogue valide reste utilisé.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Folder problem</source>
        <translation>Problème de dossier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check TERJMAN_HOME and that Terjman&apos;s folders can be created.</source>
        <translation>Vérifiez TERJMAN_HOME et que les dossiers de Terjman peuvent être créés.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Model store problem</source>
        <translation>Problème du dossier des modèles</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the models folder is writable, then try again.</source>
        <translation>Vérifiez que le dossier des modèles est accessible en écriture, puis réessayez.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>History problem</source>
        <translation>Problème d&apos;historique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the data folder is writable; you can turn the history off in the History panel.</source>
        <translation>Vérifiez que le dossier des données est accessible en écriture ; vous pouvez désactiver l&apos;historique dans le panneau Historique.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Settings problem</source>
        <translation>Problème de préférences</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the settings folder is writable.</source>
        <translation>Vérifiez que le dossier des préférences est accessible en écriture.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Something went wrong</source>
        <translation>Quelque chose s&apos;est mal passé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try again; if it keeps happening, see the log file.</source>
        <translation>Réessayez ; si cela se reproduit, consultez le journal.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not enough memory</source>
        <translation>Mémoire insuffisante</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close other programs or choose a smaller model (Nano or Large).</source>
        <translation>Fermez d&apos;autres programmes ou choisissez un modèle plus petit (Nano ou Large).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>File problem</source>
        <translation>Problème de fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the file exists and that you may read and write there.</source>
        <translation>Vérifiez que le fichier existe et que vous pouvez y lire et écrire.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Please report it; the details are in the log files in {folder}.</source>
        <translation>Merci de le signaler ; les détails sont dans les journaux du dossier {folder}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unexpected error</source>
        <translation>Erreur inattendue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terjman hit an unexpected problem: {error}</source>
        <translation>Terjman a rencontré un problème inattendu : {error}</translation>
    </message>
</context>
<context>
    <name>hub_access</name>
    <message>
        <location filename="../../terjman_desktop/gui/hub_access.py" line="+91"/>
        <source>Paste your access token (hf_…)</source>
        <translation>Collez votre jeton d’accès (hf_…)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face access token</source>
        <translation>Jeton d’accès Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save the token</source>
        <translation>&amp;Enregistrer le jeton</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the token</source>
        <translation>Enregistrer le jeton</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&lt;p&gt;&lt;b&gt;{name}&lt;/b&gt; is gated: its authors ask you to accept their conditions before downloading it.&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Sign in to Hugging Face (or create a free account) and accept the conditions on &lt;a href=&quot;{page}&quot;&gt;the model&apos;s page&lt;/a&gt;.&lt;/li&gt;&lt;li&gt;Create an access token with the &lt;i&gt;read&lt;/i&gt; permission in &lt;a href=&quot;{tokens}&quot;&gt;your Hugging Face settings&lt;/a&gt;.&lt;/li&gt;&lt;li&gt;Paste the token here. It is kept in Terjman&apos;s settings and sent to Hugging Face only.&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;{name}&lt;/b&gt; est à accès restreint : ses auteurs vous demandent d’accepter leurs conditions avant de le télécharger.&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Connectez-vous à Hugging Face (ou créez un compte gratuit) et acceptez les conditions sur &lt;a href=&quot;{page}&quot;&gt;la page du modèle&lt;/a&gt;.&lt;/li&gt;&lt;li&gt;Créez un jeton d’accès avec la permission &lt;i&gt;read&lt;/i&gt; dans &lt;a href=&quot;{tokens}&quot;&gt;vos paramètres Hugging Face&lt;/a&gt;.&lt;/li&gt;&lt;li&gt;Collez le jeton ici. Il est gardé dans les préférences de Terjman et n’est envoyé qu’à Hugging Face.&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>A token is saved in the settings.</source>
        <translation>Un jeton est enregistré dans les préférences.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A token is set outside Terjman (HF_TOKEN or `hf auth login`); a token pasted here is used instead.</source>
        <translation>Un jeton est défini hors de Terjman (HF_TOKEN ou `hf auth login`) ; un jeton collé ici est utilisé à sa place.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No token is set yet.</source>
        <translation>Aucun jeton n’est encore défini.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This is not a token: copy it again from your Hugging Face settings (Access Tokens). A token has no spaces.</source>
        <translation>Ce n’est pas un jeton : copiez-le à nouveau depuis vos paramètres Hugging Face (Access Tokens). Un jeton ne contient pas d’espaces.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Paste a token first.</source>
        <translation>Collez d’abord un jeton.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Access token needed</source>
        <translation>Jeton d’accès nécessaire</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open the model&apos;s &amp;page</source>
        <translation>Ouvrir la &amp;page du modèle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the model&apos;s page</source>
        <translation>Ouvrir la page du modèle</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save the token and &amp;install</source>
        <translation>Enregistrer le jeton et &amp;installer</translation>
    </message>
</context>
<context>
    <name>install_job</name>
    <message>
        <location filename="../../terjman_desktop/gui/install_job.py" line="+89"/>
        <location filename="../../terjman_desktop/gui/map_job.py" line="+70"/>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waiting for another Terjman to finish installing this model…</source>
        <translation>En attente qu’un autre Terjman ait fini d’installer ce modèle…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Paused at {percent}</source>
        <translation>En pause à {percent}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Downloading… {percent}</source>
        <translation>Téléchargement… {percent}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloading… {percent} · {rate}/s · {eta}</source>
        <translation>Téléchargement… {percent} · {rate}/s · {eta}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Converting on this computer… {percent}</source>
        <translation>Conversion sur cet ordinateur… {percent}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking and installing… {percent}</source>
        <translation>Vérification et installation… {percent}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Asking Hugging Face for the model&apos;s files…</source>
        <translation>Demande des fichiers du modèle à Hugging Face…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reading training sentences for the vocabulary map… {percent}</source>
        <translation>Lecture des phrases d’entraînement pour la carte de vocabulaire… {percent}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Learning the vocabulary map on this computer… {percent}</source>
        <translation>Apprentissage de la carte de vocabulaire sur cet ordinateur… {percent}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Checking the vocabulary map… {percent}</source>
        <translation>Vérification de la carte de vocabulaire… {percent}</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>{name} has a vocabulary map learned on this computer: it translates faster, with the same results.</source>
        <translation>{name} a une carte de vocabulaire apprise sur cet ordinateur : il traduit plus vite, avec les mêmes résultats.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it was cancelled.</source>
        <translation>elle a été annulée.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the map learned here would have changed some translations.</source>
        <translation>la carte apprise ici aurait changé certaines traductions.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name} is installed and translates, a little slower, without a vocabulary map: {why}</source>
        <translation>{name} est installé et traduit, un peu plus lentement, sans carte de vocabulaire : {why}</translation>
    </message>
</context>
<context>
    <name>licenses</name>
    <message>
        <location filename="../../terjman_desktop/gui/licenses.py" line="+57"/>
        <source>{name} is published under the {license} license.

{attribution}

cc-by-nc-4.0 allows non-commercial use only, with credit to the authors. Do you accept these terms and want to download the model?</source>
        <translation>{name} est publié sous la licence {license}.

{attribution}

cc-by-nc-4.0 n&apos;autorise qu&apos;un usage non commercial, en citant les auteurs. Acceptez-vous ces conditions et voulez-vous télécharger le modèle ?</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Model license</source>
        <translation>Licence du modèle</translation>
    </message>
</context>
<context>
    <name>model_import</name>
    <message>
        <location filename="../../terjman_desktop/gui/model_import.py" line="+20"/>
        <source>Import a model package</source>
        <translation>Importer un paquet de modèle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model packages (*.zip);;All files (*)</source>
        <translation>Paquets de modèles (*.zip);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Import a model folder</source>
        <translation>Importer un dossier de modèle</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Importing a model</source>
        <translation>Importation d&apos;un modèle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copying and checking {name}…</source>
        <translation>Copie et vérification de {name}…</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Model imported</source>
        <translation>Modèle importé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is installed and ready to translate.</source>
        <translation>{name} est installé et prêt à traduire.</translation>
    </message>
</context>
<context>
    <name>model_table</name>
    <message>
        <location filename="../../terjman_desktop/gui/model_table.py" line="+49"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tier</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Directions</source>
        <translation>Sens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download</source>
        <translation>Téléchargement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On disk</source>
        <translation>Sur le disque</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quality (TerjamaBench)</source>
        <translation>Qualité (TerjamaBench)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>License</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Unreadable: {problem} Repair or delete it.</source>
        <translation>Illisible : {problem} Réparez-le ou supprimez-le.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Damaged: {problem} Repair or delete it.</source>
        <translation>Endommagé : {problem} Réparez-le ou supprimez-le.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>Installed</source>
        <translation>Installé</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Not yet available</source>
        <translation>Pas encore disponible</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Can be installed (gated)</source>
        <translation>Installable (accès restreint)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gated: needs a Hugging Face token</source>
        <translation>Accès restreint : demande un jeton Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Can be installed</source>
        <translation>Installable</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Installed · update available: {name} {version}</source>
        <translation>Installé · mise à jour disponible : {name} {version}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{status} · updates {name}</source>
        <translation>{status} · met à jour {name}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{figures} (a later version)</source>
        <translation>{figures} (une version ultérieure)</translation>
    </message>
</context>
<context>
    <name>models</name>
    <message>
        <location filename="../../terjman_desktop/gui/model_info.py" line="+28"/>
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Darija</source>
        <translation>Darija</translation>
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
        <translation>Personnalisé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>fastest, basic quality</source>
        <translation>le plus rapide, qualité de base</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fast, better quality</source>
        <translation>rapide, meilleure qualité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>slower, best quality, both directions</source>
        <translation>plus lent, meilleure qualité, deux sens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>slowest, top quality, needs much memory</source>
        <translation>le plus lent, qualité maximale, beaucoup de mémoire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>general model, both directions</source>
        <translation>modèle généraliste, deux sens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>speed and quality unknown</source>
        <translation>vitesse et qualité inconnues</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>estimating…</source>
        <translation>estimation…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{n} s left</source>
        <translation>{n} s restantes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} min left</source>
        <translation>{n} min restantes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{h} h {m} min left</source>
        <translation>{h} h {m} min restantes</translation>
    </message>
</context>
</TS>

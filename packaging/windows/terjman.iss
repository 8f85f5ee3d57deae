; Inno Setup 6 script: the Windows installer of Terjman Desktop.
;
; Built by `python packaging\build.py` after PyInstaller, which runs
;     ISCC.exe /DAppVersion=0.1.0 /DBundleDir=<dist>\terjman-desktop /DOutputDir=<dist> terjman.iss
; Without /D options it packs ..\..\dist\terjman-desktop into ..\..\dist (paths are relative
; to this file). The installer:
;   * installs per user without admin rights by default (Program Files with admin, on request),
;   * adds a Start-menu entry (and a desktop icon if ticked),
;   * registers an uninstaller in Settings > Apps (uninstalling removes the program, never the
;     models, settings and history under %LOCALAPPDATA%\AtlasIA\terjman).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef NumericVersion
  ; Windows version resources take digits only (1.2.3, not 1.2.3rc1)
  #define NumericVersion AppVersion
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\terjman-desktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

#define AppName "Terjman"
#define AppExe "terjman-desktop.exe"
#define AppPublisher "Terjman Desktop developers"
#define AppUserModelID "org.atlasia.terjman"

[Setup]
; AppId identifies the app for upgrades and uninstall: never change it between releases.
AppId={{6B1E7D52-3C0A-4F5E-9D7B-2A8C4E1F9B63}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppComments=Offline English - Moroccan Darija translator
VersionInfoVersion={#NumericVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=terjman-desktop-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\terjman.ico
LicenseFile=..\..\LICENSE
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Upgrading while the app runs: offer to close it, then restart it afterwards.
CloseApplications=yes
RestartApplications=yes
; To sign the installer and uninstaller, define a sign tool in the IDE or on the command line,
; e.g. ISCC "/Ssigntool=signtool sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 /a $f"
; and uncomment:
; SignTool=signtool

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder app: terjman-desktop.exe, the console twin used for checks,
; and _internal\ (Python, Qt, CTranslate2 with its one OpenMP runtime, resources).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; AppUserModelID: "{#AppUserModelID}"; Comment: "Offline English - Darija translator"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[InstallDelete]
; A previous version's files that the new one no longer ships must not be picked up.
Type: filesandordirs; Name: "{app}\_internal"

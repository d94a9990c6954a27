/**
 * Error texts as WSL and its installers print them. English: microsoft/WSL
 * `localization/strings/en-US/Resources.resw` (MessageCustomKernelNotFound, MessageEnableVirtualization,
 * MessageConfigInvalidEscape, MessageSettingOverriddenByPolicy, MessageUpdateFailed, MessageErrorCode),
 * the Windows system messages WSL appends (HCS_E_*, ERROR_FILE_NOT_FOUND), and what users pasted into
 * microsoft/WSL issues (#5393, #5759, #10196, #12596, #13329, #41550, #8793, #5429, #8184). Localized:
 * the same resources in de-DE, fr-FR and ja-JP, and users' localized terminals (nl-NL, ko-KR, fr-FR).
 */

const code = (path: string, label = 'Error code') => `${label}: ${path}`;

export const TEXTS = {
  kernelComponent: {
    en: 'Installing, this may take a few minutes...\r\nWslRegisterDistribution failed with error: 0x800701bc\r\nError: 0x800701bc WSL 2 requires an update to its kernel component. For information please visit https://aka.ms/wsl2kernel\r\n\r\nPress any key to continue...',
    setDefault: 'PS C:\\WINDOWS\\system32> wsl --set-default-version 2\r\nError: 0x1bc\r\nFor information on key differences with WSL 2 please visit https://aka.ms/wsl2',
    /** A Japanese console that lost its code page (microsoft/WSL#6894): only the code survives. */
    jaMangled: 'WslRegisterDistribution failed with error: 0x800701bc\r\nError: 0x800701bc WSL 2 ???????????? ??????????????????????? https://aka.ms/wsl2kernel ?????????',
    de: 'Fehler: 0x800701BC WSL 2 erfordert ein Update seiner Kernelkomponente. Weitere Informationen finden Sie unter https://aka.ms/wsl2kernel',
    /** Typed by hand with a multiplication sign (MicrosoftDocs/WSL#2101). */
    timesSign: 'Wsl Register Distrubution failed with error ;  0×800701bc',
    proseOnly: 'WSL 2 requires an update to its kernel component. For information please visit https://aka.ms/wsl2kernel',
  },
  installerPrecheck: {
    en: 'This update only applies to machines with the Windows Subsystem for Linux.',
  },
  customKernel: {
    en: `The custom kernel specified in C:\\Users\\alice\\.wslconfig was not found: 'C:\\kernels\\gone\\bzImage'.\r\n${code('Wsl/Service/CreateInstance/CreateVm/WSL_E_CUSTOM_KERNEL_NOT_FOUND')}`,
    de: `Der in „C:\\Users\\alice\\.wslconfig“ angegebene benutzerdefinierte Kernel wurde nicht gefunden: „C:\\kernels\\gone\\bzImage“.\r\n${code('Wsl/Service/CreateInstance/CreateVm/WSL_E_CUSTOM_KERNEL_NOT_FOUND', 'Fehlercode')}`,
    fr: `Le noyau personnalisé spécifié dans C:\\Users\\alice\\.wslconfig est introuvable : « C:\\kernels\\gone\\bzImage ».\r\n${code('Wsl/Service/CreateInstance/CreateVm/WSL_E_CUSTOM_KERNEL_NOT_FOUND', "Code d'erreur\u00a0")}`,
    ja: `C:\\Users\\alice\\.wslconfig で指定されたカスタム カーネルが見つかりませんでした: 'C:\\kernels\\gone\\bzImage'\r\n${code('Wsl/Service/CreateInstance/CreateVm/WSL_E_CUSTOM_KERNEL_NOT_FOUND', 'エラー コード')}`,
    hex: 'wsl.exe exited with 0x80040307',
  },
  invalidEscape: {
    en: "wsl: Invalid escaped character: 'k' in C:\\Users\\alice\\.wslconfig:4",
    de: 'wsl: Ungültiges Escapezeichen: „k“ in C:\\Users\\alice\\.wslconfig:4',
    fr: 'wsl: Caractère d’échappement non valide\u00a0: «\u00a0k\u00a0» de C:\\Users\\alice\\.wslconfig\u00a0:4',
    /** The same warning about another line (memory=8GB is line 3). */
    deOtherLine: 'wsl: Ungültiges Escapezeichen: „m“ in C:\\Users\\alice\\.wslconfig:3',
  },
  policy: {
    en: "wsl: The .wslconfig setting 'wsl2.kernel' is disabled by the computer policy.",
    de: 'wsl: Die .wslconfig-Einstellung „wsl2.kernel“ ist durch die Computerrichtlinie deaktiviert.',
    ja: "wsl: .wslconfig 設定 'wsl2.kernel' はコンピューター ポリシーによって無効にされています。",
  },
  vmTimeout: {
    en: `The operation timed out because a response was not received from the virtual machine or container.\r\n${code('Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT')}`,
    fr: `L’opération a expiré, car aucune réponse n’a été reçue de la machine virtuelle ou du conteneur.\r\n${code('Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT', "Code d'erreur\u00a0")}`,
    hex: 'Error: 0x80370109',
  },
  filesMissing: {
    en: `The system cannot find the file specified.\r\n${code('Wsl/Service/CreateInstance/CreateVm/HCS/ERROR_FILE_NOT_FOUND')}`,
    nl: `Het systeem kan het opgegeven bestand niet vinden.\r\n${code('Wsl/Service/CreateInstance/CreateVm/HCS/ERROR_FILE_NOT_FOUND', 'Foutcode')}`,
    ko: `지정된 파일을 찾을 수 없습니다.\r\n${code('Wsl/Service/CreateInstance/CreateVm/HCS/ERROR_FILE_NOT_FOUND', '오류 코드')}`,
    /** `wsl --mount` of a disk that does not exist (microsoft/WSL test/windows/PolicyTests.cpp): not the VM's files. */
    mount: `Failed to attach disk 'DoesNotExist' to WSL2: The system cannot find the file specified. \r\n${code('Wsl/Service/AttachDisk/MountDisk/HCS/ERROR_FILE_NOT_FOUND')}`,
  },
  virtualization: {
    en: `WSL2 is unable to start since virtualization is not enabled on this machine.\r\nPlease ensure the "Virtual Machine Platform" optional component is enabled and virtualization is turned on in your computer's firmware settings.\r\n\r\nEnable "Virtual Machine Platform" by running: wsl.exe --install --no-distribution\r\n\r\nFor information please visit https://aka.ms/enablevirtualization\r\n${code('Wsl/Service/CreateInstance/CreateVm/HCS/HCS_E_HYPERV_NOT_INSTALLED')}`,
    de: `WSL2 kann nicht gestartet werden, da die Virtualisierung auf diesem Computer nicht aktiviert ist.\r\nStellen Sie sicher, dass die optionale Komponente „VM-Plattform“ aktiviert ist und die Virtualisierung in den Firmwareeinstellungen Ihres Computers eingeschaltet ist.\r\n${code('Wsl/Service/CreateInstance/CreateVm/HCS/HCS_E_HYPERV_NOT_INSTALLED', 'Fehlercode')}`,
    registerDistribution: 'WslRegisterDistribution failed with error: 0x80370102\r\nPlease enable the Virtual Machine Platform Windows feature and ensure virtualization is enabled in the BIOS.\r\nFor information please visit https://aka.ms/enablevirtualization',
    serviceFr: `Importation en cours. Cette opération peut prendre quelques minutes.\r\nL'opération n'a pas pu être démarrée car une fonctionnalité requise n'est pas installée.\r\n${code('Wsl/Service/CreateVm/HCS_E_SERVICE_NOT_AVAILABLE')}`,
    serviceHexFr: "WslRegisterDistribution failed with error: 0x80370114\r\nError: 0x80370114 L'opÚration n'a pas pu Ûtre dÚmarrÚe car une fonctionnalitÚ requise n'est pas installÚe.",
  },
  wrongArch: {
    en: '0x80070661 - This installation package is not supported by this processor type. Contact your product vendor.',
  },
  installerFailed: {
    en: `Checking for updates.\r\nUpdating Windows Subsystem for Linux to version: 2.5.9.\r\nThe older version of Windows Subsystem for Linux cannot be removed.  Contact your technical support group.\r\nUpdate failed (exit code: 1603).\r\nLog file: C:\\Users\\alice\\AppData\\Local\\Temp\\wsl-install-logs.txt\r\n${code('Wsl/UpdatePackage/ERROR_INSTALL_FAILURE')}`,
    callMsi: `Update failed (exit code: 1603).\r\n${code('Wsl/CallMsi/Install/ERROR_INSTALL_FAILURE')}`,
    /** Only the localized exit line: the msiexec code decides. */
    deExitOnly: 'Fehler beim Aktualisieren (Exitcode: 1603).',
  },
  /** microsoft/WSL#40482: a kernelModules VHD the VM cannot read (WSL 2.7.1+). */
  modulesAccess: {
    en: `Access is denied.\r\n${code('Wsl/Service/CreateInstance/CreateVm/HCS/E_ACCESSDENIED')}`,
    de: `Zugriff verweigert\r\n${code('Wsl/Service/CreateInstance/CreateVm/HCS/E_ACCESSDENIED', 'Fehlercode')}`,
    /** The same code outside the VM start says too little to name a cause. */
    elsewhere: `Access is denied.\r\n${code('Wsl/Service/E_ACCESSDENIED')}`,
  },
  unrelated: {
    en: 'Segmentation fault (core dumped)',
  },
} as const;

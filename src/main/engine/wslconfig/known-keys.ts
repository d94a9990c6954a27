/**
 * The keys WSL knows in `.wslconfig`, as registered in microsoft/WSL
 * `src/windows/common/WslCoreConfig.cpp` (`wsl::core::Config::ParseConfigFile`) with the names of
 * `ConfigSetting` in `WslCoreConfig.h`.
 *
 * Each inner array is one `ConfigKey`: names that share one parse result, so a value given under
 * the second name after the first is a duplicate (WSL keeps the former header `[experimental]` as
 * an alias for features that graduated to `[wsl2]`).
 */
export const KNOWN_KEYS: readonly (readonly string[])[] = [
  ['wsl2.kernel'],
  ['wsl2.kernelCommandLine'],
  ['wsl2.kernelModules'],
  ['wsl2.memory'],
  ['wsl2.processors'],
  ['wsl2.debugConsole'],
  ['wsl2.earlyBootLogging'],
  ['wsl2.swap'],
  ['wsl2.swapFile'],
  ['wsl2.localhostForwarding'],
  ['wsl2.nestedVirtualization'],
  ['wsl2.virtio9p'],
  ['wsl2.virtiofs'],
  ['wsl2.kernelDebugPort'],
  ['wsl2.gpuSupport'],
  ['wsl2.guiApplications'],
  ['wsl2.systemDistro'],
  ['wsl2.telemetry'],
  ['wsl2.vmIdleTimeout'],
  ['wsl2.debugConsoleLogFile'],
  ['wsl2.kernelBootTimeout'],
  ['wsl2.distributionStartTimeout'],
  ['wsl2.virtio'],
  ['wsl2.hostFileSystemAccess'],
  ['wsl2.mountDeviceTimeout'],
  ['wsl2.hardwarePerformanceCounters'],
  ['wsl2.vmSwitch'],
  ['wsl2.macAddress'],
  ['wsl2.dhcp'],
  ['wsl2.dhcpTimeout'],
  ['wsl2.ipv6'],
  ['wsl2.dnsProxy'],
  ['wsl2.safeMode'],
  ['wsl2.defaultVhdSize'],
  ['wsl2.crashDumpFolder'],
  ['wsl2.maxCrashDumpCount'],
  ['general.distributionInstallPath'],
  ['general.instanceIdleTimeout'],
  ['wsl2.loadDefaultKernelModules'],
  ['wsl2.loadKernelModules'],
  ['wsl2.isolateDistroCgroup'],
  ['wsl2.networkingMode', 'experimental.networkingMode'],
  ['wsl2.dnsTunneling', 'experimental.dnsTunneling'],
  ['wsl2.firewall', 'experimental.firewall'],
  ['wsl2.autoProxy', 'experimental.autoProxy'],
  ['experimental.autoMemoryReclaim'],
  ['experimental.sparseVhd'],
  ['experimental.bestEffortDnsParsing'],
  ['experimental.dnsTunnelingIpAddress'],
  ['experimental.initialAutoProxyTimeout'],
  ['experimental.ignoredPorts'],
  ['experimental.hostAddressLoopback'],
  ['experimental.setVersionDebug'],
  ['experimental.swiotlb'],
  ['experimental.virtioFsAggregateShares'],
];

/** Index of the ConfigKey a full key (`section.name`) belongs to, matched as `strcasecmp` does; -1 if unknown. */
export function knownKeyIndex(fullKey: string): number {
  const lower = fullKey.toLowerCase();
  return KNOWN_KEYS.findIndex((names) => names.some((n) => n.toLowerCase() === lower));
}

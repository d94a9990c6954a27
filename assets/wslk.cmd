@echo off
rem WSL Kernel Setup command line (silent install, rollback, status...): runs the CLI bundle
rem with the app's own Node.js runtime. Exit codes follow msiexec (0, 1602, 1603, 1618, ...).
setlocal
set "ELECTRON_RUN_AS_NODE=1"
"%~dp0..\..\wsl-kernel-setup.exe" "%~dp0wslk.cjs" %*
exit /b %ERRORLEVEL%

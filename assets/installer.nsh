; Included by electron-builder's NSIS script (nsis.include). electron-builder creates the Start-menu
; shortcut of the install wizard; these add the Settings and Repair entry points of the same app.
; The installer is per-machine (perMachine: true), so the shortcuts go to the all-users Start menu.

!macro customInstall
  SetShellVarContext all
  CreateShortCut "$SMPROGRAMS\${PRODUCT_NAME} - Settings.lnk" "$INSTDIR\${APP_EXECUTABLE_FILENAME}" "--settings" "$INSTDIR\${APP_EXECUTABLE_FILENAME}" 0 SW_SHOWNORMAL "" "Kernel slots, history and rollback"
  CreateShortCut "$SMPROGRAMS\${PRODUCT_NAME} - Repair.lnk" "$INSTDIR\${APP_EXECUTABLE_FILENAME}" "--repair" "$INSTDIR\${APP_EXECUTABLE_FILENAME}" 0 SW_SHOWNORMAL "" "Diagnose and repair the WSL 2 kernel"
!macroend

!macro customUnInstall
  SetShellVarContext all
  Delete "$SMPROGRAMS\${PRODUCT_NAME} - Settings.lnk"
  Delete "$SMPROGRAMS\${PRODUCT_NAME} - Repair.lnk"
!macroend

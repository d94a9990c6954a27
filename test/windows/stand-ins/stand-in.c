/*
 * A stand-in for a Windows tool that Wine lacks (wsl.exe, fltmc.exe, dism.exe), driven by files so a
 * test chooses what it prints and how it exits. Built with mingw-w64 once per tool: -DTOOL=L"wsl",
 * L"fltmc", L"dism" and L"schtasks".
 *
 * schtasks.exe (Wine's answers /Query with 0 for any name, and cannot delete) keeps one task as a
 * file, C:\wslk-stand-in\schtasks-task.xml: `/Create … /XML F` copies F there, `/Query` exits 0
 * when it exists (1 otherwise) and with `/XML` prints it (UTF-16LE, as Windows does), `/Delete`
 * removes it (1 when there was none). Task names are not told apart.
 *
 * Folder C:\wslk-stand-in\ (created by the test):
 *   <tool>.log             every call appends one line: the arguments, space-separated (UTF-8)
 *   <tool>-<verb>.out      copied byte for byte to stdout (the real wsl.exe writes UTF-16LE)
 *   <tool>-<verb>.exit     the exit code, in decimal (default 0)
 * <verb> is the first argument without its leading dashes, or "run" when there is none, and
 * "list-running" for `wsl --list --running` (installed and running distributions differ)
 * (`wsl --list --running --quiet` -> "list", `wsl --shutdown` -> "shutdown", `wsl -d X --exec …` -> "d",
 * `dism.exe /Online …` -> "Online", `fltmc` -> "run").
 * A successful `wsl --shutdown` deletes wsl-list-running.out, as WSL stops every distribution.
 */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

#define DIR L"C:\\wslk-stand-in\\"

static void path_of(wchar_t *out, size_t n, const wchar_t *verb, const wchar_t *ext) {
  _snwprintf(out, n, L"%ls%ls-%ls.%ls", DIR, TOOL, verb, ext);
  out[n - 1] = 0;
}

static void log_call(int argc, wchar_t **argv) {
  wchar_t path[MAX_PATH];
  _snwprintf(path, MAX_PATH, L"%ls%ls.log", DIR, TOOL);
  path[MAX_PATH - 1] = 0;
  FILE *f = _wfopen(path, L"ab");
  if (!f) return;
  for (int i = 1; i < argc; i++) {
    char buf[4096];
    int len = WideCharToMultiByte(CP_UTF8, 0, argv[i], -1, buf, sizeof buf, NULL, NULL);
    if (len > 0) fprintf(f, i > 1 ? " %s" : "%s", buf);
  }
  fputs("\n", f);
  fclose(f);
}

static int exit_code(const wchar_t *verb) {
  wchar_t path[MAX_PATH];
  path_of(path, MAX_PATH, verb, L"exit");
  FILE *f = _wfopen(path, L"rb");
  int code = 0;
  if (f) {
    if (fscanf(f, "%d", &code) != 1) code = 0;
    fclose(f);
  }
  return code;
}

static void copy_output(const wchar_t *verb) {
  wchar_t path[MAX_PATH];
  path_of(path, MAX_PATH, verb, L"out");
  FILE *f = _wfopen(path, L"rb");
  if (!f) return;
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    DWORD written;
    WriteFile(out, buf, (DWORD)n, &written, NULL);
  }
  fclose(f);
}

static int has_arg(int argc, wchar_t **argv, const wchar_t *arg) {
  for (int i = 1; i < argc; i++)
    if (_wcsicmp(argv[i], arg) == 0) return i;
  return 0;
}

static int schtasks(int argc, wchar_t **argv, const wchar_t *verb) {
  const wchar_t *task = DIR L"schtasks-task.xml";
  if (_wcsicmp(verb, L"Create") == 0) {
    int at = has_arg(argc, argv, L"/XML");
    return at && at + 1 < argc && CopyFileW(argv[at + 1], task, FALSE) ? 0 : 1;
  }
  if (_wcsicmp(verb, L"Query") == 0) {
    FILE *f = _wfopen(task, L"rb");
    if (!f) return 1;
    if (has_arg(argc, argv, L"/XML")) {
      HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
      char buf[4096];
      size_t n;
      int first = 1;
      while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        DWORD written;
        // Without the file's byte order mark, as schtasks prints it.
        size_t skip = first && n >= 2 && (unsigned char)buf[0] == 0xff && (unsigned char)buf[1] == 0xfe ? 2 : 0;
        WriteFile(out, buf + skip, (DWORD)(n - skip), &written, NULL);
        first = 0;
      }
    }
    fclose(f);
    return 0;
  }
  if (_wcsicmp(verb, L"Delete") == 0) return DeleteFileW(task) ? 0 : 1;
  return 1;
}

int wmain(int argc, wchar_t **argv) {
  const wchar_t *verb = L"run";
  if (argc > 1) {
    verb = argv[1];
    while (*verb == L'-' || *verb == L'/') verb++;
    for (int i = 2; i < argc; i++)
      if (wcscmp(verb, L"list") == 0 && wcscmp(argv[i], L"--running") == 0) verb = L"list-running";
  }
  log_call(argc, argv);
  if (wcscmp(TOOL, L"schtasks") == 0) return schtasks(argc, argv, verb);
  copy_output(verb);
  int code = exit_code(verb);
  if (code == 0 && wcscmp(TOOL, L"wsl") == 0 && wcscmp(verb, L"shutdown") == 0) {
    wchar_t path[MAX_PATH];
    path_of(path, MAX_PATH, L"list-running", L"out");
    DeleteFileW(path);
  }
  return code;
}

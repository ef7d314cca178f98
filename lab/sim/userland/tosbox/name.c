/* What ps shows of a process of the device: init and the app processes it forks rename
 * themselves in the argv area init was started with. */
#include "tosbox.h"

static char *argv_area;
static size_t argv_area_len;

void keep_argv_area(int argc, char **argv) {
    argv_area = argv[0];
    argv_area_len = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
}

void set_name(const char *name) {
    /* What ps shows: the argv area (cmdline) and the thread name (comm). */
    size_t n = strlen(name);
    if (n >= argv_area_len) n = argv_area_len - 1;
    memset(argv_area, 0, argv_area_len);
    memcpy(argv_area, name, n);
    prctl(PR_SET_NAME, name, 0, 0, 0);
}

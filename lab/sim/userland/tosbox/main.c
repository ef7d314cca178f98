/* tosbox: init when called as init, else a framework command (see tosbox.h). */
#include "tosbox.h"

int main(int argc, char **argv) {
    const char *name = strrchr(argv[0], '/');
    name = name ? name + 1 : argv[0];
    if (strcmp(name, "init") == 0) return init_main(argc, argv);
    return client_main(argc, argv);
}

/* A framework command (getprop, am, pm, ...): a client of the device's system server. */
#include "tosbox.h"

int client_main(int argc, char **argv) {
    int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strcpy(addr.sun_path, SYSTEM_SOCKET);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0) {
        fprintf(stderr, "%s: can't reach the system server (%s)\n", argv[0], strerror(errno));
        return 1;
    }
    static struct msg m;
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
    uint32_t nenv = 0;
    for (char **e = environ; *e; e++) nenv++;
    size_t len = 16;
    m.data[0] = 'C';
    uint32_t header[3] = {(uint32_t)getpid(), (uint32_t)argc, nenv};
    memcpy(m.data + 4, header, sizeof header);
    for (int round = 0; round < 3; round++) { /* cwd, then argv, then the environment */
        int n = round == 0 ? 1 : round == 1 ? argc : (int)nenv;
        for (int i = 0; i < n; i++) {
            const char *text = round == 0 ? cwd : round == 1 ? argv[i] : environ[i];
            size_t t = strlen(text) + 1;
            if (len + t > sizeof m.data) {
                fprintf(stderr, "%s: arguments too long\n", argv[0]);
                return 1;
            }
            memcpy(m.data + len, text, t);
            len += t;
        }
    }
    int stdio[3] = {0, 1, 2};
    if (send_msg(sock, m.data, len, stdio, 3) < 0) {
        fprintf(stderr, "%s: system server: %s\n", argv[0], strerror(errno));
        return 1;
    }
    for (;;) {
        ssize_t n = recv_msg(sock, &m);
        if (n <= 0) {
            fprintf(stderr, "%s: the system server went away\n", argv[0]);
            return 255;
        }
        if (m.data[0] == 'X' && n >= 5) {
            int32_t code;
            memcpy(&code, m.data + 1, 4);
            return code & 0xff;
        }
        if (m.data[0] == 'O' && n >= 10 && m.data[n - 1] == 0) {
            /* open a file for the server, here: our cwd, our root, our controlling tty */
            int fd = open(m.data + 9, (int)u32_at(&m, 1) | O_CLOEXEC, (mode_t)u32_at(&m, 5));
            if (fd < 0) reply_code(sock, 'E', errno, NULL);
            else {
                send_msg(sock, "F", 1, &fd, 1);
                close(fd);
            }
        }
        for (int k = 0; k < m.nfds; k++) close(m.fds[k]);
    }
}

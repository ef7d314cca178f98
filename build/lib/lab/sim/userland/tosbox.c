/*
 * tosbox: the native half of a virtual TOS+ device's userland.
 *
 * Why C and not Python: both roles below run inside the device's own namespaces, whose
 * root holds only Android's programs (mksh, toybox), and no kept library does either job.
 *
 *   init    PID 1 of the device. Makes the user, mount, PID and time namespaces, roots
 *           them in the device's folder (system image read-only on /system, /proc, a few
 *           /dev nodes), then forks what the device process asks for on a SOCK_SEQPACKET
 *           socket: shells with the stdio fds it passes (SCM_RIGHTS), app processes named
 *           after their package (as Android's zygote forks apps, without exec), file
 *           opens resolved inside the device's root. It reaps every orphan.
 *   <else>  getprop, am, pm, ...: a client of the device's system server (the binder of
 *           this device). It sends argv, cwd, environment and its stdio fds over
 *           /dev/socket/tos_system, opens files when the server asks (in its own cwd,
 *           root and tty), and exits with the status the server sends back.
 *
 * Built by lab/sim/userland/image.py with `cc -static`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <time.h>
#include <unistd.h>

#define MAX_MSG (192 * 1024)
#define MAX_CONNS 512
#define SHELL_UID 2000
#define SYSTEM_SOCKET "/dev/socket/tos_system"

extern char **environ;

/* ---------------------------------------------------------------- messages */

struct msg {
    char data[MAX_MSG];
    size_t len;
    int fds[3];
    int nfds;
};

static ssize_t recv_msg(int sock, struct msg *m) {
    struct iovec iov = {m->data, sizeof m->data};
    char control[CMSG_SPACE(sizeof(int) * 3)];
    struct msghdr h = {0};
    h.msg_iov = &iov;
    h.msg_iovlen = 1;
    h.msg_control = control;
    h.msg_controllen = sizeof control;
    ssize_t n;
    do {
        n = recvmsg(sock, &h, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    m->nfds = 0;
    if (n <= 0) return n;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (int i = 0; i < count; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
                if (m->nfds < 3) m->fds[m->nfds++] = fd;
                else close(fd);
            }
        }
    }
    m->len = (size_t)n;
    return n;
}

static int send_msg(int sock, const void *data, size_t len, const int *fds, int nfds) {
    struct iovec iov = {(void *)data, len};
    char control[CMSG_SPACE(sizeof(int) * 3)];
    struct msghdr h = {0};
    h.msg_iov = &iov;
    h.msg_iovlen = 1;
    if (nfds > 0) {
        h.msg_control = control;
        h.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        struct cmsghdr *c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    }
    ssize_t n;
    do {
        n = sendmsg(sock, &h, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -1 : 0;
}

static void reply_code(int sock, char kind, int32_t value, const char *text) {
    char out[1024];
    out[0] = kind;
    memcpy(out + 1, &value, 4);
    size_t len = 5;
    if (text) {
        size_t t = strnlen(text, sizeof out - 6);
        memcpy(out + 5, text, t);
        len += t;
    }
    send_msg(sock, out, len, NULL, 0);
}

/* A cursor over the NUL-separated strings that follow a fixed header. */
struct strings {
    const char *next, *end;
};

static const char *next_string(struct strings *s) {
    if (s->next >= s->end) return NULL;
    const char *nul = memchr(s->next, 0, s->end - s->next);
    if (!nul) return NULL;
    const char *value = s->next;
    s->next = nul + 1;
    return value;
}

static uint32_t u32_at(const struct msg *m, size_t offset) {
    uint32_t v = 0;
    if (offset + 4 <= m->len) memcpy(&v, m->data + offset, 4);
    return v;
}

/* ------------------------------------------------------------------- init */

enum { SPAWN_PTY = 1 };

struct conn {
    int fd;
    pid_t pid; /* the child this connection waits on, 0 if none yet */
    int app;   /* an app process: killed outright when the device lets go */
};

static struct conn conns[MAX_CONNS];
static int nconns;
static char *argv_area;
static size_t argv_area_len;

static void die(const char *what) {
    fprintf(stderr, "tosbox init: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, text, strlen(text)) < 0) die(path);
    close(fd);
}

static void set_name(const char *name) {
    /* What ps shows: the argv area (cmdline) and the thread name (comm). */
    size_t n = strlen(name);
    if (n >= argv_area_len) n = argv_area_len - 1;
    memset(argv_area, 0, argv_area_len);
    memcpy(argv_area, name, n);
    prctl(PR_SET_NAME, name, 0, 0, 0);
}

static void reset_child_signals(void) {
    sigset_t none;
    sigemptyset(&none);
    for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static void close_from(int first, int keep) {
    for (int fd = first; fd < 1024; fd++)
        if (fd != keep) close(fd);
}

static void spawn(struct conn *c, struct msg *m) {
    /* 'S' flags:u8 pad:u16 nargs:u32 nenv:u32, then path cwd args... env... */
    if (m->len < 12 || m->nfds != 3) {
        reply_code(c->fd, 'E', EINVAL, "spawn needs a header and three fds");
        return;
    }
    uint8_t flags = (uint8_t)m->data[1];
    uint32_t nargs = u32_at(m, 4), nenv = u32_at(m, 8);
    if (nargs == 0 || nargs > 4096 || nenv > 4096) {
        reply_code(c->fd, 'E', EINVAL, "bad argument count");
        return;
    }
    struct strings s = {m->data + 12, m->data + m->len};
    const char *path = next_string(&s), *cwd = next_string(&s);
    char **argv = calloc(nargs + 1, sizeof *argv), **envp = calloc(nenv + 1, sizeof *envp);
    int ok = path && cwd && argv && envp;
    for (uint32_t i = 0; ok && i < nargs; i++) ok = (argv[i] = (char *)next_string(&s)) != NULL;
    for (uint32_t i = 0; ok && i < nenv; i++) ok = (envp[i] = (char *)next_string(&s)) != NULL;
    if (!ok) {
        reply_code(c->fd, 'E', EINVAL, "truncated spawn request");
        free(argv);
        free(envp);
        return;
    }
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) {
        reply_code(c->fd, 'E', errno, "pipe");
        free(argv);
        free(envp);
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        reset_child_signals();
        setsid();
        if ((flags & SPAWN_PTY) && ioctl(m->fds[0], TIOCSCTTY, 0) < 0) {
            int e = errno;
            (void)!write(report[1], &e, sizeof e);
            _exit(127);
        }
        for (int i = 0; i < 3; i++) dup2(m->fds[i], i);
        close_from(3, report[1]);
        if (chdir(cwd) < 0 && chdir("/") < 0) _exit(127);
        execve(path, argv, envp);
        int e = errno;
        (void)!write(report[1], &e, sizeof e);
        _exit(127);
    }
    close(report[1]);
    free(argv);
    free(envp);
    if (pid < 0) {
        reply_code(c->fd, 'E', errno, "fork");
        close(report[0]);
        return;
    }
    int child_errno = 0;
    ssize_t n;
    do {
        n = read(report[0], &child_errno, sizeof child_errno);
    } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == sizeof child_errno) {
        /* reaped by the SIGCHLD loop; it finds no connection waiting for it */
        reply_code(c->fd, 'E', child_errno, path);
        return;
    }
    c->pid = pid;
    reply_code(c->fd, 'P', pid, NULL);
}

static void fork_app(struct conn *c, struct msg *m) {
    /* 'A' name: a process named after a package, living until killed. */
    if (m->len < 2 || m->data[m->len - 1] != 0) {
        reply_code(c->fd, 'E', EINVAL, "app name");
        return;
    }
    const char *name = m->data + 1;
    pid_t pid = fork();
    if (pid == 0) {
        reset_child_signals();
        setsid();
        set_name(name);
        int null = open("/dev/null", O_RDWR);
        for (int i = 0; i < 3; i++) dup2(null, i);
        close_from(3, -1);
        for (;;) pause();
    }
    if (pid < 0) {
        reply_code(c->fd, 'E', errno, "fork");
        return;
    }
    c->pid = pid;
    c->app = 1;
    reply_code(c->fd, 'P', pid, NULL);
}

static int mkdirs(char *path, mode_t mode) {
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        int r = mkdir(path, mode);
        *p = '/';
        if (r < 0 && errno != EEXIST) return -1;
    }
    return mkdir(path, mode) < 0 && errno != EEXIST ? -1 : 0;
}

/* Open `path` as the shell user would: in a child that gave up init's capabilities, so
 * the file modes decide (adbd's sync runs as shell on a user build). */
static int drop_capabilities(struct conn *c) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capset, &header, data) < 0) {
        reply_code(c->fd, 'E', errno, "capset");
        return -1;
    }
    return 0;
}

static int mkdirs(char *path, mode_t mode);

/* Unlink `path`, or make it a symlink to `target` (replacing what is there): adbd's sync
 * pushing a symlink. */
static int link_op(char op, char *path, char *target) {
    if (op == 'u' || op == 'U') return unlink(path);
    if (unlink(path) < 0 && errno != ENOENT) return -1;
    return symlink(target, path);
}

static void as_shell(struct conn *c, char op, char *path, int flags, mode_t mode, char *target) {
    pid_t pid = fork();
    if (pid == 0) {
        if (drop_capabilities(c) < 0) _exit(1);
        if (op == 'm') {
            if (mkdirs(path, mode) < 0) reply_code(c->fd, 'E', errno, path);
            else reply_code(c->fd, 'K', 0, NULL);
            _exit(0);
        }
        if (op == 'u' || op == 'l') {
            if (link_op(op, path, target) < 0) reply_code(c->fd, 'E', errno, path);
            else reply_code(c->fd, 'K', 0, NULL);
            _exit(0);
        }
        int fd = open(path, flags | O_CLOEXEC | O_NONBLOCK, mode);
        if (fd < 0) {
            reply_code(c->fd, 'E', errno, path);
            _exit(1);
        }
        if (!(flags & O_NONBLOCK)) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        send_msg(c->fd, "F", 1, &fd, 1);
        _exit(0);
    }
    if (pid < 0) {
        reply_code(c->fd, 'E', errno, "fork");
        return;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
}

static void one_shot(struct conn *c, struct msg *m) {
    char op = m->data[0];
    if (m->len < 10 || m->data[m->len - 1] != 0) {
        reply_code(c->fd, 'E', EINVAL, "bad request");
        return;
    }
    uint32_t a = u32_at(m, 1), b = u32_at(m, 5);
    char *path = m->data + 9;
    /* a symlink's request carries its target after the path: path\0target\0 */
    char *target = path + strlen(path) + 1;
    if ((op == 'l' || op == 'L') && target >= m->data + m->len) {
        reply_code(c->fd, 'E', EINVAL, "bad request");
        return;
    }
    if (op == 'o' || op == 'm' || op == 'u' || op == 'l') {
        as_shell(c, op, path, (int)a, (mode_t)b, target);
    } else if (op == 'U' || op == 'L') {
        if (link_op(op, path, target) < 0) reply_code(c->fd, 'E', errno, path);
        else reply_code(c->fd, 'K', 0, NULL);
    } else if (op == 'O') {
        /* O_NONBLOCK first so a FIFO never blocks PID 1, then back to what was asked */
        int fd = open(path, (int)a | O_CLOEXEC | O_NONBLOCK, (mode_t)b);
        if (fd < 0) {
            reply_code(c->fd, 'E', errno, path);
            return;
        }
        if (!(a & O_NONBLOCK)) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        send_msg(c->fd, "F", 1, &fd, 1);
        close(fd);
    } else if (op == 'M') {
        if (mkdirs(path, (mode_t)b) < 0) reply_code(c->fd, 'E', errno, path);
        else reply_code(c->fd, 'K', 0, NULL);
    } else if (op == 'K') {
        if (kill((pid_t)a, (int)b) < 0) reply_code(c->fd, 'E', errno, "kill");
        else reply_code(c->fd, 'K', 0, NULL);
    } else {
        reply_code(c->fd, 'E', EINVAL, "unknown request");
    }
}

static void drop_conn(int i) {
    close(conns[i].fd);
    conns[i] = conns[--nconns];
}

static void on_request(int i) {
    struct conn *c = &conns[i];
    static struct msg m;
    ssize_t n = recv_msg(c->fd, &m);
    if (n <= 0) {
        /* The device let go: hang up a shell (as adbd does), end an app. */
        if (c->pid > 0) kill(-c->pid, c->app ? SIGKILL : SIGHUP);
        drop_conn(i);
        return;
    }
    if (c->pid > 0) {
        for (int k = 0; k < m.nfds; k++) close(m.fds[k]);
        return; /* one request per connection */
    }
    if (m.data[0] == 'S') spawn(c, &m);
    else if (m.data[0] == 'A') fork_app(c, &m);
    else one_shot(c, &m);
    for (int k = 0; k < m.nfds; k++) close(m.fds[k]);
    if (c->pid == 0) drop_conn(i);
}

static void reap(void) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < nconns; i++) {
            if (conns[i].pid == pid) {
                reply_code(conns[i].fd, 'X', status, NULL);
                drop_conn(i);
                break;
            }
        }
    }
}

static void mount_or_die(const char *src, const char *dst, const char *type, unsigned long flags) {
    if (mount(src, dst, type, flags, NULL) < 0) {
        fprintf(stderr, "tosbox init: mount %s on %s: %s\n", src ? src : "-", dst,
                strerror(errno));
        exit(1);
    }
}

static void enter_root(const char *root, const char *image) {
    char path[4096];
    mount_or_die(NULL, "/", NULL, MS_REC | MS_PRIVATE);
    mount_or_die(root, root, NULL, MS_BIND | MS_REC); /* so "/" is a mount, as df expects */
    snprintf(path, sizeof path, "%s/system", root);
    /* A read-only overlay of the image: its own filesystem (st_dev), so `df`, `mount` and
     * `stat -f` tell /system from /data as on a device; a plain bind where overlayfs is
     * not allowed in a user namespace (before Linux 5.11). */
    char options[4200];
    snprintf(options, sizeof options, "lowerdir=%s:%s/../.empty", image, image);
    if (mount("overlay", path, "overlay", MS_RDONLY | MS_NODEV | MS_NOSUID, options) < 0) {
        mount_or_die(image, path, NULL, MS_BIND | MS_REC);
        mount_or_die(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY);
    }
    snprintf(path, sizeof path, "%s/proc", root);
    mount_or_die("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
    /* /sys: the host's, read-only (a new sysfs needs its own network namespace) */
    snprintf(path, sizeof path, "%s/sys", root);
    if (mount("/sys", path, NULL, MS_BIND | MS_REC, NULL) == 0)
        mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    static const char *nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
    for (size_t i = 0; i < sizeof nodes / sizeof *nodes; i++) {
        char host[64];
        snprintf(host, sizeof host, "/dev/%s", nodes[i]);
        snprintf(path, sizeof path, "%s/dev/%s", root, nodes[i]);
        mount_or_die(host, path, NULL, MS_BIND);
    }
    if (chdir(root) < 0 || chroot(".") < 0 || chdir("/") < 0) die("chroot");
}

static void make_namespaces(void) {
    uid_t uid = getuid();
    gid_t gid = getgid();
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID) < 0) die("unshare");
    char map[64];
    write_file("/proc/self/setgroups", "deny");
    snprintf(map, sizeof map, "%d %u 1", SHELL_UID, uid);
    write_file("/proc/self/uid_map", map);
    snprintf(map, sizeof map, "%d %u 1", SHELL_UID, gid);
    write_file("/proc/self/gid_map", map);
    /* The device's clocks start at its boot: uptime, CLOCK_MONOTONIC. Optional (Linux 5.6+). */
    if (unshare(CLONE_NEWTIME) == 0) {
        struct timespec boot, mono;
        clock_gettime(CLOCK_BOOTTIME, &boot);
        clock_gettime(CLOCK_MONOTONIC, &mono);
        char offsets[128];
        snprintf(offsets, sizeof offsets, "boottime -%ld 0\nmonotonic -%ld 0\n",
                 (long)boot.tv_sec, (long)mono.tv_sec);
        int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
            (void)!write(fd, offsets, strlen(offsets));
            close(fd);
        }
    }
}

/* init ROOT IMAGE ALIVE_FD SOCKET_FD: ALIVE_FD is the read end of the device's liveness
 * pipe (EOF: the device process is gone), SOCKET_FD the listening SOCK_SEQPACKET socket the
 * device process made for its requests. */
static int alive_fd, listen_fd;

static int init_main(int argc, char **argv) {
    if (argc != 5 || (alive_fd = atoi(argv[3])) < 3 || (listen_fd = atoi(argv[4])) < 3) {
        fprintf(stderr, "usage: init ROOT IMAGE ALIVE_FD SOCKET_FD\n");
        return 2;
    }
    char root[2048], image[2048];
    snprintf(root, sizeof root, "%s", argv[1]);
    snprintf(image, sizeof image, "%s", argv[2]);
    argv_area = argv[0];
    argv_area_len = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
    make_namespaces();
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child > 0) { /* outside: wait for the device's PID 1 and mirror its end */
        close(alive_fd);
        close(listen_fd);
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    enter_root(root, image);
    set_name("init");
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sigfd < 0) die("signalfd");
    signal(SIGPIPE, SIG_IGN);
    fcntl(alive_fd, F_SETFD, FD_CLOEXEC);
    fcntl(listen_fd, F_SETFD, FD_CLOEXEC);
    static struct pollfd polls[MAX_CONNS + 3];
    for (;;) {
        polls[0] = (struct pollfd){.fd = alive_fd, .events = POLLIN};
        polls[1] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
        polls[2] = (struct pollfd){.fd = sigfd, .events = POLLIN};
        for (int i = 0; i < nconns; i++)
            polls[3 + i] = (struct pollfd){.fd = conns[i].fd, .events = POLLIN};
        int count = nconns;
        if (poll(polls, 3 + count, -1) < 0) {
            if (errno == EINTR) continue;
            die("poll");
        }
        if (polls[0].revents) return 0; /* the device process is gone: PID 1 ends, all die */
        if (polls[2].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(sigfd, &info, sizeof info) > 0) {
            }
            reap();
            continue; /* the connection table changed */
        }
        for (int i = count - 1; i >= 0; i--)
            if (polls[3 + i].revents) on_request(i);
        if ((polls[1].revents & POLLIN) && nconns < MAX_CONNS) {
            int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
            if (fd >= 0) conns[nconns++] = (struct conn){.fd = fd};
        }
    }
}

/* ----------------------------------------------------------------- client */

static int client_main(int argc, char **argv) {
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

int main(int argc, char **argv) {
    const char *name = strrchr(argv[0], '/');
    name = name ? name + 1 : argv[0];
    if (strcmp(name, "init") == 0) return init_main(argc, argv);
    return client_main(argc, argv);
}

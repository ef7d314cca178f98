/* What init does for one request of the device process: spawn a program with its
 * stdio, fork an app process, open or link a file (as init, or as the shell user), kill. */
#include "tosbox.h"

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

void spawn(struct conn *c, struct msg *m) {
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

void fork_app(struct conn *c, struct msg *m) {
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

void one_shot(struct conn *c, struct msg *m) {
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

/* PID 1 of the device: namespaces, its root, the loop over the device process's requests,
 * and every orphan reaped. */
#include "tosbox.h"

static struct conn conns[MAX_CONNS];
static int nconns;

void die(const char *what) {
    fprintf(stderr, "tosbox init: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, text, strlen(text)) < 0) die(path);
    close(fd);
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

int init_main(int argc, char **argv) {
    if (argc != 5 || (alive_fd = atoi(argv[3])) < 3 || (listen_fd = atoi(argv[4])) < 3) {
        fprintf(stderr, "usage: init ROOT IMAGE ALIVE_FD SOCKET_FD\n");
        return 2;
    }
    char root[2048], image[2048];
    snprintf(root, sizeof root, "%s", argv[1]);
    snprintf(image, sizeof image, "%s", argv[2]);
    keep_argv_area(argc, argv);
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

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
 * Built by lab/sim/userland/image.py with `cc -static` from the files beside this one:
 *   wire.c      the messages both roles send over SOCK_SEQPACKET (with fds)
 *   init.c      PID 1: namespaces, root, the request loop, reaping
 *   requests.c  what init does for a request: spawn, fork an app, open, link, kill
 *   name.c      what ps shows of init and of the app processes (the argv area, comm)
 *   client.c    a framework command: argv and stdio to the system server
 *   main.c      which role, by argv[0]
 */
#ifndef TOSBOX_H
#define TOSBOX_H

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

struct msg {
    char data[MAX_MSG];
    size_t len;
    int fds[3];
    int nfds;
};

/* A cursor over the NUL-separated strings that follow a fixed header. */
struct strings {
    const char *next, *end;
};

enum { SPAWN_PTY = 1 };

struct conn {
    int fd;
    pid_t pid; /* the child this connection waits on, 0 if none yet */
    int app;   /* an app process: killed outright when the device lets go */
};

/* wire.c */
ssize_t recv_msg(int sock, struct msg *m);
int send_msg(int sock, const void *data, size_t len, const int *fds, int nfds);
void reply_code(int sock, char kind, int32_t value, const char *text);
const char *next_string(struct strings *s);
uint32_t u32_at(const struct msg *m, size_t offset);

/* name.c */
void keep_argv_area(int argc, char **argv);
void set_name(const char *name);

/* init.c */
void die(const char *what);
int init_main(int argc, char **argv);

/* requests.c */
void spawn(struct conn *c, struct msg *m);
void fork_app(struct conn *c, struct msg *m);
void one_shot(struct conn *c, struct msg *m);

/* client.c */
int client_main(int argc, char **argv);

#endif

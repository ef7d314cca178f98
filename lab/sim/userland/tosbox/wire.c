/* The messages of init and the framework commands: one request or answer per
 * SOCK_SEQPACKET message, stdio fds alongside (SCM_RIGHTS). */
#include "tosbox.h"

ssize_t recv_msg(int sock, struct msg *m) {
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

int send_msg(int sock, const void *data, size_t len, const int *fds, int nfds) {
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

void reply_code(int sock, char kind, int32_t value, const char *text) {
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

const char *next_string(struct strings *s) {
    if (s->next >= s->end) return NULL;
    const char *nul = memchr(s->next, 0, s->end - s->next);
    if (!nul) return NULL;
    const char *value = s->next;
    s->next = nul + 1;
    return value;
}

uint32_t u32_at(const struct msg *m, size_t offset) {
    uint32_t v = 0;
    if (offset + 4 <= m->len) memcpy(&v, m->data + offset, 4);
    return v;
}

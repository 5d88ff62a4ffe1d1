/* A session: one program linked in memory and run by this process, and
 * the reloads applied to it while it runs. */
#ifndef HOTLD_SESSION_H
#define HOTLD_SESSION_H

#include <pthread.h>
#include <stdatomic.h>

#include "program.h"
#include "query.h"

enum session_mode { MODE_RUN, MODE_STATUS, MODE_QUERY };

struct session_options {
    struct link_options link;
    enum session_mode mode;
    const char *session;        /* --session NAME; NULL: keyed by cwd */
    pid_t pid;                  /* --pid N: a process forked from the program */
    const char *name;           /* argv[0] for the program; NULL: derive it */
    bool watch;                 /* reload when an input file changes */
    const char *log;            /* --log FILE: --watch's messages */
    const char *build;          /* --build CMD: run on a save, not compilers */
    const char *recompile;      /* --deopt/--reopt FILE: compile it first */
    bool unoptimized;           /* --deopt: at -O0 -g */
    int rollback;               /* --rollback 1, --no-rollback 0; -1: as --watch */
    bool vars;                  /* --status --vars: the variables too */
    bool reload_only;           /* --reload-only: never start the program */
    struct query query;         /* MODE_QUERY; no command: --repl */
    const char *graph_file;     /* --svg FILE, --dot FILE */
    int reload_timeout_ms;
    const char **reset;         /* --reset NAME: for the reload this command
                                   asks for, never the program's own options
                                   (which --watch and rollbacks reuse) */
    size_t nreset;
    int argc;                   /* program arguments after "--" */
    char **argv;
    char **hotld_argv;          /* hotld's own, to restart it */
};

/* The running program (reload/program.h), and what the session adds to
 * it: how the program was started and which of its inputs a reload must
 * read. gdb/hotld-gdb.py reads it through DWARF, as the_session. */
struct session {
    struct program program;
    uint64_t inputs_digest;     /* of the inputs the program was linked from */
    struct link_input *fixed;   /* those inputs less the objects: archives */
    size_t nfixed, capfixed;    /* and -l libraries, in order */
    volatile int gdb_reload;    /* set by the gdb helper: reload now */
    char **args;                /* the program's arguments as given, kept */
    int nargs;                  /* apart from its argv, which it may rewrite
                                   (a process title: nginx, PostgreSQL) */
    _Atomic double last_change_ms; /* the start, or the end of the last
                                      reload: when idleness is counted from */
};

extern struct session the_session;

/* session.c: start the program, or hand the request to the session
 * already running. Returns the exit status for hotld when it does not
 * exit with the program. */
int session_main(struct session_options *o);

/* client.c: a command's request to the session running; hotld's exit
 * status, or -1 if the session says it runs another program. */
/* A session that accepted the connection but exited before answering: it
 * was ending as the command came (said by the caller). */
#define CLIENT_GONE (-2)
/* Say why a session at path did not answer: it exited, or it refused. */
void client_say_gone(const char *path);
int client_reload(int fd, const struct session_options *o);
/* A request (a reload's) from a process of the program itself: nothing
 * printed (but a question, to this process's terminal); *text is the
 * report, or why it failed (malloc'd); 0 if it was done, CLIENT_GONE if
 * the session closed without an answer. */
int client_request_quietly(int fd, struct message *req, char **text);
int client_status(const char *path, bool vars);

/* server.c: serve the control socket at path from a thread of hotld's;
 * false if it cannot listen (the program then runs without reloads). */
bool start_control(const char *path);
const char *session_socket_path(void); /* NULL: none */
/* A request read from fd: true if fd went to a thread that answers it.
 * Only the first process takes reloads. */
struct message;
bool serve_message(int fd, struct message *m, bool first_process);
void session_forget_control(void);      /* in a child: not its socket */
/* Debug images that went stale while no debugger was attached, made
 * again once one is, or a crash awaits them; from the session's threads,
 * which look every tenth of a second. */
void session_refresh_debug_images(void);

/* busy.c: what the session is doing that a command may wait behind; the
 * command's side says so after a second without an answer. */
void busy_init(const char *socket_path);
void busy_remove(void);
int busy_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void busy_end(int slot);
/* Before reading the session's answer on fd: if none comes within a
 * second and the session is busy with something else (or its process is
 * stopped), say so on stderr, then return to wait on. */
void await_answer(int fd);
/* The program as a debugger should see it: one image for all objects. */
void publish_debug_image(struct link *ld);

/* request.c: a reload request's fields. decode: the inputs and options
 * (fields after the first) into o, whose vectors the caller frees; -1 if
 * a field is malformed. */
struct message;
void reload_request_encode(struct message *m, const struct session_options *o);
int reload_request_decode(const struct message *m, struct link_options *o);

/* reloads.c: apply a reload from any hotld thread (control, watcher),
 * directly or, once the program uses hotld_poll(), through it. */
int session_reload(struct link_options *opts, char **report);
/* A follower's part of the first process's reload (follower.c). */
int session_follow(struct link_options *opts, bool remember, char **report);
/* A crash's rollback in every process, from the first (pg->roll_back
 * there, and a follower's request); with the lock held. */
int session_roll_back_all(struct program *pg, char **report);
/* A follower's part of it. */
int session_follow_rollback(char **report);
/* Remember the inputs the program is now linked from. */
void remember_inputs(const struct link_options *o);

/* poll.c: does the program call hotld_poll()? Then run job in its thread
 * at its next call, and wait up to --reload-timeout for it. */
bool is_cooperative(void);
int at_safe_point(int (*job)(void *, char **), void *arg, char **report);
void poll_forget_jobs(void); /* in a child: the parent's are not its own */
void hotld_poll_impl(void);

/* api.c: the __hotld_* symbols the program's links bind to; the
 * program's reload hooks, run after each reload. */
void define_host_symbols(struct program *pg);
/* children.c: processes forked from the program, registered at fork */
struct strbuf;
void children_init(void);
void children_reloading(bool on); /* around a reload, in its thread */
/* reloads.c: called after every reload attempt (gdb's helper stops there) */
void hotld_reload_done(int rc);
/* Around an exec by the program (execs.c): wait for a reload under way
 * in this process and keep new ones out, and drop the signals a stop
 * left pending; true if the program's lock is now held, to be given back
 * by children_exec_failed should the exec return. */
bool children_exec_begin(void);
void children_exec_failed(bool held);
/* fn for each registered process that still runs the image (listening:
 * it has a control socket); returns how many. */
size_t children_each(void (*fn)(pid_t pid, bool listening, void *ctx), void *ctx);
unsigned children_unreached(void); /* forked with no room in the table */
/* Does pid share this process's table of processes: does it still run the
 * image (not exited, not exec'd)? */
bool children_runs_the_image(pid_t pid);
/* "4102, 4103": descendants that run the image but were not registered
 * (made by clone() without fork's handlers); NULL if none. */
char *children_unregistered(void);
char *child_socket_path(pid_t pid); /* SOCKET.PID; NULL without a session */
/* follower.c: in a new child, its side of every reload; -1 if it cannot
 * listen on its socket */
int follower_start(void);
/* processes.c: the first process's side: every process applies a reload,
 * or none does */
void processes_arm(void);
void processes_begin(struct link_options *opts, bool remember);
/* The same for a crash's rollback: every process puts back its own
 * previous versions. */
void processes_begin_rollback(void);
void processes_end(char **report); /* report NULL: the reload failed */
void processes_status(struct strbuf *sb);
/* request.c: the link options of a reload as request fields */
void reload_options_encode(struct message *m, const struct link_options *o);
void run_callbacks(void);

/* start.c: run the program as __libc_start_main would. */
#define TLS_RESTARTED "HOTLD_TLS_RESTARTED"
/* argv[0] as a linked executable would see it. */
char *program_name(const struct session_options *o);
/* argv for main, followed as at an executable's start by the environment
 * and the auxiliary vector. */
char **program_vector(const char *name, int argc, char **args);
_Noreturn void start_program(const struct image *im, int argc, char **argv);
/* A program whose thread-local variables did not fit gets hotld started
 * again, once, with room for them; returns if it cannot. */
void restart_with_tls_room(const struct session_options *o);
/* Libraries the link needs loaded at the start (a sanitizer's runtime,
 * a library whose TLS is reached by initial exec) get hotld started
 * again, once, with them preloaded; then the program's environment is
 * put back. */
#define RUNTIME_RESTARTED "HOTLD_RUNTIME_RESTARTED"
void restart_with_runtime(char **argv);
void runtime_preloaded(void);

/* thread.c: start one of hotld's own threads: it takes none of the
 * program's signals and is never parked by a reload. */
void start_thread(void *(*fn)(void *), void *arg);
/* The same, joinable: false if it could not be started. */
bool start_joinable_thread(void *(*fn)(void *), void *arg, pthread_t *t);

/* paths.c: input paths and -L directories made absolute, as the session
 * compares them. */
void make_absolute(struct link_options *o);
/* path absolute against cwd, "." and ".." folded; a new string. */
const char *path_absolute(const char *path, const char *cwd);

/* main.c: read hotld's command line into *o. -1: go on; else hotld's
 * exit status (an error said, or --help). */
int hotld_parse(int argc, char **argv, struct session_options *o);

#endif

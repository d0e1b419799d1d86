"""gunicorn for the benchmark: the production shape (gunicorn.conf.py: gthread,
4 threads, keep-alive), 2 workers, no access log, for the app and the baselines alike.
A worker that crashes in C code leaves its threads' Python stacks on standard error,
as in production."""
import faulthandler

workers = 2
worker_class = "gthread"
threads = 4
keepalive = 5
timeout = 30
accesslog = None
errorlog = "-"
loglevel = "warning"
control_socket_disable = True


def post_worker_init(worker):
    faulthandler.enable()

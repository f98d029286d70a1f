"""A threaded socketserver on loopback that tests start and stop (the SMTP sink, the webhook
receiver): start() listens, again on the same port after a stop(), which closes the port so
connections are refused; usable as a context manager.

Subclasses set `server_class`, `handler_class` and `thread_name`, and may override
`attach(server)` to give the handlers a way back to the test object."""

import threading


class LoopbackService:
    server_class = None
    handler_class = None
    thread_name = "loopback"

    def __init__(self, host="127.0.0.1", port=0):
        self.host, self.port = host, port
        self._server = None
        self._thread = None

    def attach(self, server):
        pass

    def start(self):
        """Listens (again) on the port; the first start picks a free port when port is 0."""
        self._server = self.server_class((self.host, self.port), self.handler_class)
        self.attach(self._server)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name=f"{self.thread_name}-{self.port}")
        self._thread.start()
        return self

    def stop(self):
        """Closes the listening port (connections are then refused)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def running(self):
        return self._server is not None

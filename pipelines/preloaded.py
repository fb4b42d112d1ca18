"""The last module the extraction pool's forkserver imports: it freezes the heap.

The forkserver holds the cleaner and its libraries (lxml, trafilatura) from
its start until its crawl exits. Frozen, they are left out of its garbage
collections, and out of the workers' (fork keeps them frozen). It also shortens
the forkserver's own exit from about 30 ms to 5 ms: the interpreter's final
collections skip frozen objects. That exit is on the crawl's clock, because
the forkserver holds the crawl's stdout and stderr open until it is gone.
"""

import gc

gc.freeze()

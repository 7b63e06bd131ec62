"""Issue 28: between two notebooks the in-process shell lets go of what %reset drops before %reset's
first garbage collection (inprocess.Host._let_go), so that that collection frees the notebook's
objects instead of walking them alive; the shell is left as %reset alone leaves it."""
import gc
import weakref

from analysis.pipeline import inprocess
from analysis.pipeline.kernels import RESET

CELLS = ["class Node:\n    pass\n\nnode = Node()\nnode.me = node      # a reference cycle: only a collection frees it",
         "import numpy as np\ntable = {'rows': [node, np.arange(3)]}\ntable",
         "node",
         "_2 is table and Out[3] is node and __ is node"]


def _state(host):
    shell = host.shell
    return (sorted(shell.user_ns), sorted(shell.user_ns_hidden), dict(shell.user_ns["Out"]), shell.execution_count,
            shell.displayhook.prompt_count, [shell.displayhook._, shell.displayhook.__, shell.displayhook.___])


def _ran(host):
    for cell in CELLS:
        host.execute(cell)
    return weakref.ref(host.shell.user_ns["node"])


def test_the_shell_after_the_reset_is_as_reset_alone_leaves_it():
    mine = inprocess.Host(timeout=60)
    try:
        _ran(mine)
        mine.reset(RESET)
        after_mine = _state(mine)
        count, outputs = mine.execute("1 + 1")
    finally:
        mine.close()
    theirs = inprocess.Host(timeout=60)
    try:
        _ran(theirs)
        theirs.execute(RESET, store_history=False)         # what reset ran before _let_go
        assert _state(theirs) == after_mine
        assert theirs.execute("1 + 1") == (count, outputs)
    finally:
        theirs.close()


def test_the_first_collection_of_the_reset_frees_the_notebooks_objects():
    host = inprocess.Host(timeout=60)
    collections, freed_at = [], []

    def count(phase, info):
        if phase == "stop" and info["generation"] == 2:
            collections.append(info["collected"])

    try:
        node = _ran(host)
        weakref.finalize(node(), lambda: freed_at.append(len(collections)))
        gc.callbacks.append(count)
        try:
            host.reset(RESET)
        finally:
            gc.callbacks.remove(count)
        assert node() is None and len(collections) >= 2     # %reset collects twice
        assert freed_at == [0]                               # during the first collection
    finally:
        host.close()

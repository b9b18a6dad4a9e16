"""`python -m macros.hosting nginx --root DIR --listen ADDR`: the host configuration.

A thin entry point: the policy and its renderings are build-time code, in
macros/hooks/hosting.py.
"""

import sys

from .hooks.hosting import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

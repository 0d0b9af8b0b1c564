#!/usr/bin/env python3
"""CA4P-483: errors, share of SDK rows with an id, rows named like permissions.
Same as `scripts/eval-policy-rows.py --ca4p`; arguments are passed through."""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
os.execv(sys.executable, [sys.executable, os.path.join(here, "eval-policy-rows.py"), "--ca4p", *sys.argv[1:]])

# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration of the instructor book (answer keys), built apart
# from the student documentation so that no handout links to a key:
#   sphinx-build -W -b html Documentation/instructor OUTDIR
# The settings are the student book's (../conf.py), with this title.
import os

with open(os.path.join(os.path.dirname(__file__), '..', 'conf.py'),
          encoding='utf-8') as f:
    exec(f.read())

project = 'wfqmon labs: instructor material'
exclude_patterns = []

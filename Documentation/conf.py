# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration for the wfqmon documentation:
#   sphinx-build -W -b html Documentation OUTDIR

project = 'wfqmon'
copyright = 'The wfqmon developers'
author = 'The wfqmon developers'

root_doc = 'index'
master_doc = 'index'  # Sphinx < 4
# instructor/ is its own book (make docs-instructor): no answer keys here.
exclude_patterns = ['netlink/specs', 'instructor']
highlight_language = 'none'
html_theme = 'alabaster'

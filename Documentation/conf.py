# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration for the wfqmon documentation:
#   sphinx-build -W -b html Documentation OUTDIR

project = 'wfqmon'
copyright = 'The wfqmon developers'
author = 'The wfqmon developers'

root_doc = 'index'
master_doc = 'index'  # Sphinx < 4
exclude_patterns = ['netlink/specs']
highlight_language = 'none'
html_theme = 'alabaster'

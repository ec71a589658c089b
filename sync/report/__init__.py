"""The office's report over a period: tables, a chart and files to send upward.

Built on pandas, which only this package imports, and only when `aidsync report --from … --to …`
runs: a pass never pays for it. facts.py reads the snapshot into plain records (no pandas),
tables.py groups them, text.py prints them, files.py and chart.py lay them out as files, and
command.py is the shell that reads the workbook once and writes the file asked for.
"""

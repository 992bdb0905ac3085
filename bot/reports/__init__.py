"""Reports: the PAKN register (sổ theo dõi PAKN) and the periodic communication-work report.

Builders take an AsyncSession and return a `formats.Report`; `formats` writes it as XLSX, CSV
or a printable HTML page. Used by the console (/console/reports/) and `loaxa report`.
"""

"""Hydro-meteorological science: quality control, rainfall intensity–duration, flood return periods,
avalanche indicators and Sarez lake rules — pure numpy, no Django, no I/O.

observations.py   the columnar observation set (station, time, variable, value) every step works on
qc.py             range, step, persistence, consistency and buddy checks → WMO-style flags
rainfall.py       rainfall events and the intensity–duration exceedance (mudflow, "сел")
return_periods.py Gumbel by L-moments: return levels Q_T of annual maxima (flood)
rules.py          every rule over an observation set → triggers (rule, station, time, value, level)
lead_times.py     downstream arrival of a Sarez outburst wave per village (planning estimate)
"""

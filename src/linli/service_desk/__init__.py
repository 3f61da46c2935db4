"""Citywide service desk (全市通办): the catalogue of community service items and its versions,
service cases from intake at any window to archive, routing to the deciding unit by the
applicant's home, working-day time limits (counted on linli.workdays' calendar), proxy and home
handling, 好差评 ratings with rectification, and the desk's figures."""

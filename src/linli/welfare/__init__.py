"""Social assistance (分层分类社会救助): 低保, 特困, 低保边缘 and 刚性支出困难 determined by dated
rules written with OpenFisca (`rules/`), the application's steps from the desk to the county's
decision, the roll with its reviews and monthly payroll, temporary assistance, and
zero-employment households with public-welfare posts. See `docs/assistance.md`."""

"""The volunteer time bank (时间银行): a ledger of minutes per volunteer (`TimeBankEntry`: earned
from approved service hours, spent on services such as home help for an elderly parent, donated to
another person or to the community's pool, expired by rule), exact to the minute, never negative,
safe under concurrent spends. Above `volunteers`: it listens for approved hours and reads who a
volunteer is through that app's selectors."""

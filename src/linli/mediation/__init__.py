"""Safe community (安民): people's mediation (人民调解) from intake and the parties' consent to the
agreement and its follow-up, the mediator pool and the staffing rule, the communities' monthly
dispute screening (矛盾纠纷排查), 慧评理 (reasoning a small dispute out online), the four-zero
community status (四零社区), community policing (一社区一警), emergency drills and the restricted
support cases (domestic-violence leads, community corrections, drug rehabilitation, released
prisoners, psychological counselling).

It sits above the resident pool and grid events: a grid event becomes a dispute through the grid
events' hand-off registry, which this app fills in `AppConfig.ready()`. Parties from the pool are
named by their public id (`person_ref`), never copied; facts, claims, minutes, agreement terms and
every support case's notes are sealed at rest and read with a reason."""

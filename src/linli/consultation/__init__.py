"""Deliberation and self-governance (协商议事): community consultation from a topic residents
propose to a decision carried out and evaluated (城乡社区协商), the village procedure for major
matters (四议一审两公开), residents' conventions and village rules, the public board (公开栏) anyone
may read without logging in, and the community burden list (证明事项清单, 社区工作事项准入).

It sits above the resident pool, grid events and micro-funds: a recurring grid event becomes a
topic through the grid events' hand-off registry, and a micro-fund's payment above its threshold
is put to consultation through the charity app's decision registry, both filled in
`AppConfig.ready()`. Voters are named on a roll frozen when voting opens, by the pool's public ids
(never copied personal data); votes are secret to everyone but the count."""

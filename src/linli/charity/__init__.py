"""Charity matching (慈善供需精准对接) and community micro-funds (社区微基金): a community posts needs
(`CharityNeed`) with the minimum personal data, masked in public; donors and organisations post
offers (`CharityOffer`); matches (`Match`) proposed by kind, place and quantity, confirmed,
delivered and acknowledged, anonymous donors allowed. A community's fund (`MicroFund`) receives
donations and pays for projects residents decided, with a public ledger anyone can read."""

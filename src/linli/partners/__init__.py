"""Partners of the five-party linkage (五社联动): the register of community social organisations
(`SocialOrg`, four kinds, 登记 or 备案, unified social credit code checked per GB 32100) with
their yearly evaluations from a scoring sheet kept as data; the accounts that speak for an
organisation (`OrgMember`, the organiser role's scope); social-work stations per street
(`SocialWorkStation`) with their social workers and certificates, brand stations marked; idle
premises offered by enterprises and the community spaces they become."""

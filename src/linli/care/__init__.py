"""Care services (为民服务): the basic elderly-care list with assessed care need and entitlements,
home-care orders served by providers and their carers (check-in and out at the home, ratings,
monthly statements from verified visits), family care beds, elder-friendly home modifications
(适老化改造), care and protection of children (儿童主任, 儿童之家, restricted reports of harm) and
happy-education classes that residents order (幸福教育). Reads people only through the resident
pool's selectors; facilities come from the registry. One module per stage in each layer."""

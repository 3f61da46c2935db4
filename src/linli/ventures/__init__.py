"""Public-interest venture projects (公益创投) and government-purchased community services
(政府购买服务): a call with budget, themes and deadline; organisations' applications with budget
lines, beneficiaries and outputs; a review panel scoring against weighted criteria kept as data,
with conflict-of-interest declarations; funded projects (`VentureProject`) reporting milestones,
spending and beneficiaries; a final evaluation. Purchased services are contracts
(`ServiceContract`) with deliverables following the same flow."""

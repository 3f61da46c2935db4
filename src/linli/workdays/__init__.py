"""Working days (工作日历): Monday to Friday minus public holidays plus swapped working weekend
days (调休), the published schedules seeded from `chinese-calendar` or entered by an admin, the
statutory holidays assumed (provisionally) for years with no published schedule, and the working
days and office minutes counted on them. Below every app that counts time limits (the service
desk, grid events, and next mediation, care orders and assistance reviews)."""

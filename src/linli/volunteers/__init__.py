"""Volunteers (志愿者): real-name registration with a sealed ID number checked per GB 11643 (a
guardian's consent under 18), skills, availability and home area; activities and recurring
services with shifts, needed counts and required skills; sign-ups (open, or request then confirm);
check-in and check-out on the spot (the organiser's QR code, or position within a radius); service
hours (`ServiceHours`) as rows that are never edited (corrections are new rows), reported hours
for unplanned neighbourly help approved by staff, hours entered for volunteers with no phone
(代录); star levels by cumulative hours (`star_level()`); roster import and export. Hours approved
here are announced through `hours_approved` so the time bank can credit them without this app
knowing it."""

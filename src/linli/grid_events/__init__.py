"""Grid events (网格吹哨、部门报到): problems found by grid workers, residents (随手拍) and Open311
clients, from report through registration, dispatch, handling, verification and closure to the
resident's rating; the whistle that summons departments; supervision and the three rates; the
router that suggests category and department for free text; the Open311 GeoReport v2 endpoint."""

from nusim.cli import main

raise SystemExit(main())

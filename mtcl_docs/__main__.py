from mtcl_docs.cli import main

raise SystemExit(main())

import sys

from planforge.launch import main

sys.exit(main())

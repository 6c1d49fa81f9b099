from planforge.launch import main

main()

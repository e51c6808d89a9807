from leakguard.cli import main

main()

from leakguard.runner import main

main()

from milepost.interfaces.cli.app import main

main()

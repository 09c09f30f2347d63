print("gait: under construction")

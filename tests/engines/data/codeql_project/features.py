FEATURES = ["income", "sex"]


def select_features(df):
    return df[FEATURES]

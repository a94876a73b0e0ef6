//! Regions, custom environments and explicit base URLs.

use purecloud_oauth_api::progenitor::ClientInfo;
use purecloud_oauth_api::{Environment, PureCloud, Region};

const TABLE: &[(&str, &str)] = &[
    ("us_east_1", "mypurecloud.com"),
    ("eu_west_1", "mypurecloud.ie"),
    ("ap_southeast_2", "mypurecloud.com.au"),
    ("ap_northeast_1", "mypurecloud.jp"),
    ("eu_central_1", "mypurecloud.de"),
    ("us_west_2", "usw2.pure.cloud"),
    ("ca_central_1", "cac1.pure.cloud"),
    ("ap_northeast_2", "apne2.pure.cloud"),
    ("eu_west_2", "euw2.pure.cloud"),
    ("ap_south_1", "aps1.pure.cloud"),
    ("us_east_2", "use2.us-gov-pure.cloud"),
    ("sa_east_1", "sae1.pure.cloud"),
    ("me_central_1", "mec1.pure.cloud"),
    ("ap_northeast_3", "apne3.pure.cloud"),
    ("eu_central_2", "euc2.pure.cloud"),
    ("mx_central_1", "mxc1.pure.cloud"),
    ("ap_southeast_1", "apse1.pure.cloud"),
    ("eusc_de_east_1", "edee1.eusc-pure.cloud"),
];

#[test]
fn every_region_of_the_sdks() {
    assert_eq!(Region::ALL.len(), 18);
    assert_eq!(Region::ALL.len(), TABLE.len());
    for (region, (key, domain)) in Region::ALL.iter().zip(TABLE) {
        assert_eq!(region.key(), *key);
        assert_eq!(region.domain(), *domain);
        assert_eq!(region.to_string(), *key);
        assert_eq!(region.api_base_url(), format!("https://api.{domain}"));
        assert_eq!(region.login_base_url(), format!("https://login.{domain}"));
        assert_eq!(key.parse::<Region>(), Ok(*region));
        assert_eq!(domain.parse::<Region>(), Ok(*region));
        assert_eq!(
            format!("https://api.{domain}/").parse::<Region>(),
            Ok(*region)
        );
        assert_eq!(
            key.to_uppercase().replace('_', "-").parse::<Region>(),
            Ok(*region)
        );
        let env = Environment::from(*region);
        assert_eq!(env.api_base_url(), region.api_base_url());
        assert_eq!(env.login_base_url(), region.login_base_url());
    }
    assert_eq!(Region::default(), Region::UsEast1);
    assert_eq!("mx_central_1".parse::<Region>(), Ok(Region::MxCentral1));
    assert_eq!(
        "edee1.eusc-pure.cloud".parse::<Region>(),
        Ok(Region::EuscDeEast1)
    );
    let err = "mars_north_1".parse::<Region>().expect_err("unknown");
    assert!(err.to_string().contains("mars_north_1"));
}

#[test]
fn custom_environment_is_normalized_like_the_js_sdk() {
    for given in [
        "mypurecloud.ie",
        "api.mypurecloud.ie",
        "https://api.mypurecloud.ie",
        "https://api.mypurecloud.ie/",
        "http://mypurecloud.ie//",
    ] {
        let env = Environment::custom(given);
        assert_eq!(env.api_base_url(), "https://api.mypurecloud.ie", "{given}");
        assert_eq!(
            env.login_base_url(),
            "https://login.mypurecloud.ie",
            "{given}"
        );
    }
    let future = Environment::custom("xyz9.pure.cloud");
    assert_eq!(future.api_base_url(), "https://api.xyz9.pure.cloud");
    assert_eq!(future.login_base_url(), "https://login.xyz9.pure.cloud");
}

#[test]
fn explicit_base_urls_and_the_builder() {
    let env = Environment::from_base_urls("http://127.0.0.1:8080/", "http://127.0.0.1:9090");
    assert_eq!(env.api_base_url(), "http://127.0.0.1:8080");
    assert_eq!(env.login_base_url(), "http://127.0.0.1:9090");

    let client = PureCloud::builder()
        .region(Region::EuWest2)
        .build()
        .expect("client");
    assert_eq!(client.baseurl(), "https://api.euw2.pure.cloud");
    let client = PureCloud::builder()
        .environment(Environment::custom("https://api.mypurecloud.de/"))
        .build()
        .expect("client");
    assert_eq!(client.baseurl(), "https://api.mypurecloud.de");
    let client = PureCloud::builder().build().expect("client");
    assert_eq!(client.baseurl(), "https://api.mypurecloud.com");

    let err = PureCloud::builder()
        .base_urls("not a url", "http://127.0.0.1:1")
        .build()
        .expect_err("bad url");
    assert!(err.to_string().contains("API base URL"), "{err}");
    let err = PureCloud::builder()
        .base_urls("http://127.0.0.1:1", "ftp://127.0.0.1")
        .build()
        .expect_err("bad scheme");
    assert!(err.to_string().contains("login"), "{err}");
}
